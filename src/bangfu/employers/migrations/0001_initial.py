"""``jobs.Employer`` becomes ``employers.Employer``: the table was renamed by
``jobs.0002_employer_moves_to_employers``; this only tells Django the model now lives here."""

import bangfu.core.pii
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("jobs", "0002_employer_moves_to_employers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Employer",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("name", models.CharField(max_length=200, verbose_name="单位名称")),
                        ("uscc", models.CharField(max_length=18, unique=True, verbose_name="统一社会信用代码")),
                        ("place_code", models.CharField(blank=True, default="", help_text="重庆的区县或乡镇代码，或外省的省市代码", max_length=12, verbose_name="所在地代码")),
                        ("district_code", models.CharField(blank=True, db_index=True, default="", max_length=6, verbose_name="所在区县")),
                        ("township_code", models.CharField(blank=True, db_index=True, default="", max_length=9, verbose_name="所在乡镇")),
                        ("cooperation_region", models.CharField(blank=True, choices=[("yangtze_delta", "长三角"), ("pearl_delta", "珠三角"), ("sichuan", "四川"), ("east_west_pairing", "鲁渝协作")], default="", max_length=20, verbose_name="劳务协作地区")),
                        ("contact_name", models.CharField(blank=True, default="", max_length=60, verbose_name="联系人")),
                        ("contact_phone", bangfu.core.pii.EncryptedTextField(blank=True, default="", verbose_name="联系电话")),
                        ("contact_phone_hash", models.CharField(blank=True, default="", editable=False, max_length=64)),
                        ("credit_rating", models.CharField(choices=[("A", "A 守信"), ("B", "B 一般"), ("C", "C 有欠薪或失信记录")], default="B", max_length=1, verbose_name="信用评价")),
                        ("bank_name", models.CharField(blank=True, default="", max_length=100, verbose_name="开户银行")),
                        ("bank_account", bangfu.core.pii.EncryptedTextField(blank=True, default="", verbose_name="银行账号")),
                        ("bank_account_hash", models.CharField(blank=True, default="", editable=False, max_length=64)),
                        ("owner_area_code", models.CharField(db_index=True, max_length=12, verbose_name="登记区域")),
                    ],
                    options={
                        "verbose_name": "用工单位",
                        "verbose_name_plural": "用工单位",
                        "ordering": ["name"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
