from jineng.common.tests.openapi import openapi  # noqa: F401  (the fixture)
