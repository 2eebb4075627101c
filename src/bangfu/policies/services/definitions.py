"""Writing policies: new policies and new versions, validated before anything is saved."""

from __future__ import annotations

from importlib import resources


from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.engine.policy.definition import DefinitionError, PolicyDefinition, from_yaml, validate
from bangfu.policies.models import Policy, PolicyVersion

CAPABILITY_MANAGE = Capability.MANAGE_POLICIES
ERR_NO_MANAGE = gettext_noop("您没有制定补贴政策的权限")
ERR_CODE_TAKEN = gettext_noop("政策代码“{code}”已被使用")
ERR_KIND_CHANGED = gettext_noop("已生成待遇的政策不能改变受益对象类型，请新建一项政策")
ERR_UNCHANGED = gettext_noop("内容与现行版本相同，未保存新版本")


def _check_manage(actor: Actor) -> None:
    require(actor, CAPABILITY_MANAGE, _(ERR_NO_MANAGE))


def _version_fields(d: PolicyDefinition) -> dict:
    return {
        "name": d.name, "legal_basis": d.legal_basis, "beneficiary_kind": d.beneficiary,
        "period_kind": d.period, "frequency": d.frequency, "condition": d.condition,
        "amount": d.amount, "description": d.description, "note": d.note,
        "budget_fen": round(float(d.budget_yuan) * 100) if d.budget_yuan is not None else None,
    }


@transaction.atomic
def policy_create(*, definition: PolicyDefinition, actor: Actor, change_reason: str = "") -> Policy:
    """A new policy with its first version; the CEL is checked first (DefinitionError)."""
    _check_manage(actor)
    validate(definition)
    if Policy.objects.filter(code=definition.code).exists():
        raise DefinitionError([("code", _(ERR_CODE_TAKEN).format(code=definition.code))])
    policy = Policy.objects.create(code=definition.code)
    version = PolicyVersion.objects.create(
        policy=policy, number=1, created_by=_user(actor), change_reason=change_reason,
        **_version_fields(definition),
    )
    policy.current_version = version
    policy.save(update_fields=["current_version", "updated_at"])
    audit_record(actor=actor, action="policy.create", obj=policy,
                 detail={"code": policy.code, "version": 1})
    return policy


@transaction.atomic
def policy_version_create(*, policy: Policy, definition: PolicyDefinition, actor: Actor,
                          change_reason: str = "") -> PolicyVersion:
    """Save ``definition`` as the next version of ``policy`` and put it in force."""
    _check_manage(actor)
    validate(definition)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    current = policy.current_version
    if definition.code != policy.code:
        raise DefinitionError([("code", _("政策代码不能修改"))])
    if current is not None and current.beneficiary_kind != definition.beneficiary and policy.entitlements.exists():
        raise DefinitionError([("beneficiary", _(ERR_KIND_CHANGED))])
    fields = _version_fields(definition)
    if current is not None and all(getattr(current, k) == v for k, v in fields.items()):
        raise DefinitionError([("condition", _(ERR_UNCHANGED))])
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PolicyVersion.objects.create(
        policy=policy, number=number, created_by=_user(actor), change_reason=change_reason, **fields,
    )
    policy.current_version = version
    policy.save(update_fields=["current_version", "updated_at"])
    audit_record(actor=actor, action="policy.version_create", obj=policy,
                 detail={"code": policy.code, "version": number, "reason": change_reason[:200]})
    return version


@transaction.atomic
def policy_set_active(*, policy: Policy, active: bool, actor: Actor) -> Policy:
    _check_manage(actor)
    policy.active = active
    policy.save(update_fields=["active", "updated_at"])
    audit_record(actor=actor, action="policy.activate" if active else "policy.deactivate", obj=policy,
                 detail={"code": policy.code})
    return policy


def _example_folders():
    """``bangfu/policies/examples`` and the ``policies/`` folder of every installed app that ships
    its programme's policies (the premium on behalf and the refund are ``bangfu/insurance/policies``)."""
    yield resources.files("bangfu.policies") / "examples"
    for config in apps.get_app_configs():
        if config.name.startswith("bangfu.") and config.name != "bangfu.policies":
            folder = resources.files(config.name) / "policies"
            if folder.is_dir():
                yield folder


def example_definitions() -> list[PolicyDefinition]:
    """The example policies shipped as ``*.yaml`` (see ``_example_folders``), by file name."""
    files = [f for folder in _example_folders() for f in folder.iterdir() if f.name.endswith(".yaml")]
    return [from_yaml(f.read_text(encoding="utf-8")) for f in sorted(files, key=lambda p: p.name)]


def policy_load(*, definition: PolicyDefinition, actor: Actor, change_reason: str = "") -> tuple[Policy, str]:
    """Create the policy, or add a version when it differs; ("created"|"updated"|"unchanged")."""
    existing = Policy.objects.filter(code=definition.code).first()
    if existing is None:
        return policy_create(definition=definition, actor=actor, change_reason=change_reason), "created"
    try:
        policy_version_create(policy=existing, definition=definition, actor=actor, change_reason=change_reason)
    except DefinitionError as exc:
        if any(isinstance(e, tuple) and e[1] == _(ERR_UNCHANGED) for e in exc.errors):
            return existing, "unchanged"
        raise
    return existing, "updated"


def policy_load_examples(*, actor: Actor) -> dict[str, str]:
    """Load (or update) the shipped examples; {code: created|updated|unchanged}."""
    return {d.code: policy_load(definition=d, actor=actor, change_reason=_("载入示例政策"))[1]
            for d in example_definitions()}


def _user(actor: Actor):
    return actor_user(actor)
