from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)

# The subsidies world (an enterprise, officials at each level, published policies) for the workbench tests.
from jineng.subsidies.tests.conftest import approve, approved_claims, hire, submit_work, world  # noqa: E402, F401
