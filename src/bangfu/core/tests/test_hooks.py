"""The apps' contributions are found by ``bangfu.core.hooks``: from the apps that have them, in
app order, two apps never claiming the same key."""

from __future__ import annotations

import types

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from bangfu.core import hooks
from bangfu.core.hooks import CODE_LISTS, DEMO_STEPS, IMPORTERS, PARAMETERS, ListHook, MappingHook


def fake_apps(monkeypatch, **modules):
    """Pretend the installed apps are ``modules`` (label -> namespace of names)."""
    found = [(label, types.SimpleNamespace(**names)) for label, names in modules.items()]
    monkeypatch.setattr(hooks, "contributing_modules", lambda module: found)


def test_the_importers_come_from_the_apps_that_offer_them():
    kinds = IMPORTERS.mapping()
    assert {"registry", "employment", "income", "targets", "postings"} <= set(kinds)
    assert kinds["registry"].title == "花名册"


def test_the_demo_runs_the_registry_before_the_users_it_places_in_a_busy_township():
    assert [step.code for step in DEMO_STEPS.items()] == ["reference_data", "persons", "kpis", "users",
                                                          "welfare_posts", "training", "insurance"]


def test_code_lists_come_from_the_registry_and_accounts_in_their_order():
    codes = [table.code for table in CODE_LISTS.items()]
    assert codes[0] == "category" and codes[-1] == "role" and "labour_ability" in codes


def test_the_apps_without_a_hooks_module_contribute_nothing_and_core_is_not_scanned():
    labels = {label for label, _ in hooks.contributing_modules("hooks")}
    assert {"registry", "accounts", "monitoring", "policies", "jobs", "arrears"} <= labels
    assert "core" not in labels and "admin" not in labels


def test_the_programmes_contribute_their_kpi_figures_and_briefing_sections():
    keys = {figure.key: figure.app for figure in hooks.KPI_FIGURES.items()}
    assert keys == {"jobs_pushed_ytd": "jobs", "services_ytd": "jobs", "policy_paid_yuan_ytd": "payments",
                    "policy_person_times_ytd": "payments", "arrears_leads_ytd": "arrears",
                    "arrears_on_time_rate": "arrears", "outpost_offices": "arrears",
                    "main_metro_jobs_for_other_zones": "monitoring", "welfare_posts_placed": "posts",
                    "welfare_posts_placed_assist_management": "posts",
                    "welfare_posts_placed_public_service": "posts", "welfare_posts_vacant": "posts", "welfare_post_paid_yuan_ytd": "posts",
                    "trained_ytd": "training", "trained_certified_ytd": "training", "trained_employed": "training",
                    "trained_ytd_shortage": "training", "trained_ytd_bayu_craftsman": "training",
                    "trained_ytd_yu_jiaren": "training", "trained_ytd_yu_nengren": "training",
                    "pension_on_behalf_persons": "insurance", "pension_on_behalf_yuan": "insurance",
                    "insured_vulnerable": "insurance", "insured_vulnerable_rate": "insurance",
                    "injury_insured": "insurance", "ui_reduction_yuan_ytd": "insurance", "ui_refund_yuan_ytd": "insurance"}
    assert [s.code for s in hooks.BRIEFING.items()] == ["jobs", "payments", "arrears", "posts", "training", "insurance"]
    with pytest.raises(ImproperlyConfigured):
        hooks.KpiContribution("x", "x", "test", query=lambda engine, **kw: None, tables=(), rollup="average")
    section = hooks.BriefingSection("jobs", "渝职聘", render=lambda **kw: "推送岗位 3 个", order=20)
    with hooks.BRIEFING.override([section]):
        assert [s.render(month="2024-09", area_code="50") for s in hooks.BRIEFING.items()] == ["推送岗位 3 个"]
    assert [s.code for s in hooks.BRIEFING.items()] == ["jobs", "payments", "arrears", "posts", "training", "insurance"]


def test_a_key_contributed_by_two_apps_is_an_error_naming_both(monkeypatch):
    step = hooks.DemoStep("users", run=lambda ctx: None)
    fake_apps(monkeypatch, accounts={"DEMO_STEPS": [step]}, posts={"DEMO_STEPS": [step]})
    with pytest.raises(ImproperlyConfigured, match="accounts and posts"):
        ListHook("DEMO_STEPS", key=lambda s: s.code).items()
    fake_apps(monkeypatch, jobs={"PARAMETERS": {"PUSH": "a"}}, posts={"PARAMETERS": {"PUSH": "b"}})
    with pytest.raises(ImproperlyConfigured, match="'PUSH'"):
        MappingHook("PARAMETERS").mapping()


def test_items_are_sorted_by_their_order_then_kept_in_app_order(monkeypatch):
    late, early, tie = (hooks.DemoStep(code, run=print, order=order)
                        for code, order in (("late", 90), ("early", 10), ("tie", 90)))
    fake_apps(monkeypatch, one={"DEMO_STEPS": [late]}, two={"DEMO_STEPS": [early, tie]}, three={})
    assert [s.code for s in ListHook("DEMO_STEPS", order=lambda s: s.order).items()] == ["early", "late", "tie"]


@pytest.mark.django_db
def test_the_dictionary_page_shows_the_roles_that_accounts_contributes(client, make_user):
    client.force_login(make_user("township_officer", "500230101"))
    html = client.get(reverse("core:dictionaries")).content.decode()
    assert "<code>township_officer</code>" in html and "角色" in html


@pytest.mark.django_db
def test_the_parameter_page_labels_the_settings_that_jobs_contributes(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("core:parameters")).content.decode()
    assert str(PARAMETERS.mapping()["PUSH_BUDGET_FACTOR"]) in html and "PUSH_BUDGET_FACTOR" in html
