/* Province -> city/district: keep only the cities of the chosen province (Chongqing: its districts). */
(function () {
  function wire() {
    var province = document.getElementById("id_province");
    var city = document.getElementById("id_city");
    if (!province || !city) return;
    var all = Array.prototype.slice.call(city.options).map(function (o) {
      return { value: o.value, text: o.text };
    });
    function refill() {
      var code = province.value, keep = city.value;
      city.innerHTML = "";
      all.forEach(function (o) {
        if (o.value === "" || (code && o.value.indexOf(code) === 0)) {
          var opt = document.createElement("option");
          opt.value = o.value; opt.text = o.text;
          if (o.value === keep) opt.selected = true;
          city.appendChild(opt);
        }
      });
    }
    province.addEventListener("change", refill);
    refill();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
