"""What is not a policy leaves ``policies`` (step 1 of 3; then each new app's 0001, then 0009):
the tables are renamed to their new apps' names, rows and foreign keys untouched.

    Workshop, WorkshopMember         -> network      (帮扶车间)
    SocialInsuranceContribution      -> insurance    (社保)
    PayeeAccount, PaymentBatch, Payment -> payments  (any claim, not only entitlements)
    OutboxMessage                    -> outbox       (messages of every app)
"""

from django.db import migrations

MOVES = [
    ("workshop", "network_workshop"),
    ("workshopmember", "network_workshopmember"),
    ("socialinsurancecontribution", "insurance_socialinsurancecontribution"),
    ("payeeaccount", "payments_payeeaccount"),
    ("paymentbatch", "payments_paymentbatch"),
    ("payment", "payments_payment"),
    ("outboxmessage", "outbox_outboxmessage"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0007_payments_entitlement_dropped"),
    ]

    operations = [migrations.AlterModelTable(name=name, table=table) for name, table in MOVES]
