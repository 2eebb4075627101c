"""Code lists (字典) of the registry; the lists and their Chinese labels are ``bangfu.codes``."""

from bangfu import codes
from bangfu.core.choices import text_choices

DivisionLevel = text_choices(codes.DIVISION_LEVEL)
DISTRICT_LEVELS = codes.DISTRICT_LEVELS
TOWNSHIP_LEVELS = codes.TOWNSHIP_LEVELS
RegionGroup = text_choices(codes.REGION_GROUP)
CooperationRegion = text_choices(codes.COOPERATION_REGION)
Category = text_choices(codes.CATEGORY)
LabourAbility = text_choices(codes.LABOUR_ABILITY)
WORKING_ABILITIES = codes.WORKING_ABILITIES
Education = text_choices(codes.EDUCATION)
Health = text_choices(codes.HEALTH)
Relation = text_choices(codes.RELATION)
Sex = text_choices(codes.SEX)
PlaceClass = text_choices(codes.PLACE_CLASS)
Channel = text_choices(codes.CHANNEL)
