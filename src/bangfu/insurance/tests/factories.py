"""Social-insurance contributions."""

import factory

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.insurance.models import SocialInsuranceContribution
from bangfu.registry.tests.factories import PersonFactory


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialInsuranceContribution

    person = factory.SubFactory(PersonFactory)
    employer = factory.SubFactory(EmployerFactory)
    month = "2024-03"
    insurance_type = "pension"
    employer_fen = 80000
    worker_fen = 32000
