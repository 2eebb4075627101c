"""Code lists (字典) of the registry with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.TextChoices):
    DISTRICT = "district", _("区")
    COUNTY = "county", _("县")
    AUTONOMOUS_COUNTY = "autonomous_county", _("自治县")
    SUBDISTRICT = "subdistrict", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")


DISTRICT_LEVELS = ("district", "county", "autonomous_county")
TOWNSHIP_LEVELS = ("subdistrict", "town", "township")


class RegionGroup(models.TextChoices):
    MAIN_METRO = "main_metro", _("主城都市区")
    NORTHEAST = "northeast", _("渝东北")
    SOUTHEAST = "southeast", _("渝东南")


class CooperationRegion(models.TextChoices):
    YANGTZE_DELTA = "yangtze_delta", _("长三角")
    PEARL_DELTA = "pearl_delta", _("珠三角")
    SICHUAN = "sichuan", _("四川")
    EAST_WEST_PAIRING = "east_west_pairing", _("鲁渝协作")


class Category(models.TextChoices):
    ALLEVIATED = "alleviated", _("脱贫人口")
    MONITORED = "monitored", _("防返贫监测对象")


class LabourAbility(models.TextChoices):
    ORDINARY = "ordinary", _("普通劳动力")
    SKILLED = "skilled", _("技能劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


WORKING_ABILITIES = ("ordinary", "skilled", "weak")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中或中专")
    COLLEGE = "college", _("大专及以上")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS = "serious", _("患有大病")
    DISABLED = "disabled", _("残疾")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    SON = "son", _("之子")
    DAUGHTER = "daughter", _("之女")
    DAUGHTER_IN_LAW = "daughter_in_law", _("之儿媳")
    SON_IN_LAW = "son_in_law", _("之女婿")
    GRANDSON = "grandson", _("之孙子")
    GRANDDAUGHTER = "granddaughter", _("之孙女")
    FATHER = "father", _("之父")
    MOTHER = "mother", _("之母")
    OTHER = "other", _("其他")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PlaceClass(models.TextChoices):
    IN_COUNTY = "in_county", _("县内")
    IN_CITY = "in_city", _("市内县外")
    OUT_OF_CITY = "out_of_city", _("市外")
    ABROAD = "abroad", _("境外")


class Channel(models.TextChoices):
    MIGRANT = "migrant", _("外出务工")
    LOCAL = "local", _("就近就业")
    WELFARE_POST = "welfare_post", _("公益性岗位")
    WORKSHOP = "workshop", _("帮扶车间")
    GIG = "gig", _("零工")
    SELF_EMPLOYED = "self_employed", _("自主创业")
    FLEXIBLE = "flexible", _("灵活就业")
