"""What 免申即享 contributes to other apps: its entitlements are payable claims (``payments``)."""

from __future__ import annotations

from bangfu.policies.payables import EntitlementClaims

PAYABLE_CLAIMS = [EntitlementClaims()]
