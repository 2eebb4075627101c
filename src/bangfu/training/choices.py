"""Code lists of skills training (培训); the lists and their labels are ``bangfu.codes``."""

from bangfu import codes
from bangfu.core.choices import text_choices

SkillLevel = text_choices(codes.SKILL_LEVEL)
TrainingBrand = text_choices(codes.TRAINING_BRAND)
EnrolmentStatus = text_choices(codes.ENROLMENT_STATUS)
FollowUpOutcome = text_choices(codes.FOLLOW_UP_OUTCOME)
