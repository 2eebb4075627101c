"""Word lists for synthetic people: shipped with the package, nothing is downloaded."""

from __future__ import annotations

# Common surnames of Chongqing and Sichuan, most frequent first (weights fall off by rank).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤冉牟向"
)
SURNAMES = tuple(dict.fromkeys(SURNAMES))  # keep order, drop the repeated ones

# Characters of given names; a name has one or two of them.
GIVEN_MALE = tuple(
    "伟强军勇杰涛明超斌刚平辉鹏华飞波建国林峰磊宇浩俊文兵成志贵福德全发忠才庆生祥云海江山"
    "中东学春宏伦亮凯松荣富兴元远鑫"
)
GIVEN_FEMALE = tuple(
    "芳娟敏静丽艳娜秀英华玲霞燕琴红梅莉兰萍桂珍凤洁琳雪慧颖倩婷莲群蓉翠淑惠巧美月菊丹"
    "春秋青玉佳欣怡"
)

# Village names (村); a township's households use a handful of them.
VILLAGES = (
    "新华村", "青山村", "石桥村", "河坝村", "大坪村", "柏林村", "双河村", "金竹村", "枫香村",
    "白果村", "龙井村", "凉水村", "桂花村", "黄桷村", "太平村", "红岩村", "长岭村", "梨树村",
    "茶园村", "竹林村", "堰塘村", "三元村", "高峰村", "五一村", "水井村", "岩口村", "沙坝村",
    "坪上村", "团结村", "光明村", "和平村", "新民村", "兴隆村", "永安村", "天星村", "马鞍村",
    "鹿鸣村", "仙女村", "樱桃村", "核桃村", "杉木村", "松林村", "桃园村", "向阳村", "丰收村",
    "复兴村", "建设村", "胜利村", "田坝村", "香炉村",
)

# Vocational certificates a worker may hold (技能证书).
CERTIFICATES = (
    "电工证", "焊工证", "叉车证", "育婴员证", "中式烹调师证", "养老护理员证", "家政服务员证",
    "挖掘机操作证", "保育员证", "美容师证", "中式面点师证", "砌筑工证",
)

# Mobile number prefixes of the three carriers (号段).
MOBILE_PREFIXES = (
    130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158,
    159, 166, 173, 175, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199,
)
