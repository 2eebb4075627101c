"""Roles become data (accounts.AccessRole), seeded with exactly the rights of the roles as they were.

The table is copied literally (a migration never imports live code): every built-in role keeps its
capabilities and its data scope; "registry.view" names the right every role had to read the
registry; the out-of-town office role (outpost_officer) is new and has none of it.
"""

from django.db import migrations, models


ALL = [
    "registry.view", "pii.view_full", "registry.import", "registry.edit", "audit.view", "users.manage",
    "policies.manage", "policies.approve", "monitoring.import", "jobs.manage", "jobs.service",
    "arrears.handle",
]
# code: (name, capabilities, data scope, area level, order)
ROLES = {
    "city_admin": ("市级管理员", ALL, "all", "city", 10),
    "district_officer": ("区县经办", [
        "registry.view", "pii.view_full", "registry.import", "registry.edit", "policies.approve",
        "monitoring.import", "jobs.manage", "jobs.service", "arrears.handle"], "area", "district", 20),
    "township_officer": ("乡镇经办", [
        "registry.view", "pii.view_full", "registry.import", "registry.edit", "monitoring.import",
        "jobs.service"], "township", "township", 30),
    "broker": ("劳务经纪人", ["registry.view", "jobs.service"], "area", "", 40),
    "auditor": ("审计员", ["registry.view", "audit.view"], "area", "", 50),
    "outpost_officer": ("外地办事处", ["arrears.handle"], "self", "city", 60),
}


def seed_roles(apps, schema_editor):
    AccessRole = apps.get_model("accounts", "AccessRole")
    for code, (name, capabilities, scope, level, order) in ROLES.items():
        AccessRole.objects.update_or_create(code=code, defaults={
            "name": name, "capabilities": sorted(capabilities), "data_scope": scope,
            "area_level": level, "builtin": True, "sort_order": order})


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_apitoken_expiry'),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=32, unique=True, verbose_name='角色编码')),
                ('name', models.CharField(max_length=40, verbose_name='角色名称')),
                ('capabilities', models.JSONField(blank=True, default=list, verbose_name='权限')),
                ('data_scope', models.CharField(choices=[('all', '全部'), ('area', '本区县及以下'), ('township', '本乡镇'), ('self', '仅本人')], default='area', max_length=12, verbose_name='数据范围')),
                ('area_level', models.CharField(blank=True, choices=[('', '不限'), ('city', '市级'), ('district', '区县级'), ('township', '乡镇（街道）级')], default='', max_length=12, verbose_name='所属区域级别')),
                ('builtin', models.BooleanField(default=False, editable=False, verbose_name='内置')),
                ('remark', models.CharField(blank=True, default='', max_length=200, verbose_name='备注')),
                ('sort_order', models.PositiveSmallIntegerField(default=50, verbose_name='排序')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '角色',
                'verbose_name_plural': '角色',
                'ordering': ['sort_order', 'code'],
            },
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(default='township_officer', max_length=32, verbose_name='角色'),
        ),
        migrations.RunPython(seed_roles, migrations.RunPython.noop),
    ]
