"""Step 3 of the moves of 0008: entitlements point at ``network.Workshop``, and the moved models
leave the state of ``policies`` (their tables already belong to the new apps, so nothing runs on
the database); their content types follow them."""

import django.db.models.deletion
from django.db import migrations, models

from bangfu.core.moves import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0008_tables_move_to_their_apps"),
        ("network", "0001_initial"),
        ("insurance", "0001_initial"),
        ("payments", "0001_initial"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entitlement",
                    name="workshop",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.PROTECT, related_name="entitlements",
                                            to="network.workshop", verbose_name="帮扶车间"),
                ),
                migrations.DeleteModel(name="Payment"),
                migrations.DeleteModel(name="PaymentBatch"),
                migrations.DeleteModel(name="PayeeAccount"),
                migrations.DeleteModel(name="SocialInsuranceContribution"),
                migrations.DeleteModel(name="WorkshopMember"),
                migrations.DeleteModel(name="Workshop"),
                migrations.DeleteModel(name="OutboxMessage"),
            ],
            database_operations=[],
        ),
        content_types_moved([
            ("policies", "workshop", "network"), ("policies", "workshopmember", "network"),
            ("policies", "socialinsurancecontribution", "insurance"), ("policies", "payeeaccount", "payments"),
            ("policies", "paymentbatch", "payments"), ("policies", "payment", "payments"),
            ("policies", "outboxmessage", "outbox"),
        ]),
    ]
