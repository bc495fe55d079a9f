import pytest
from io import StringIO
from django.core.management import call_command
pytestmark = pytest.mark.django_db

def test_scratch():
    out = StringIO()
    call_command("seed", "--scale", "demo", stdout=out)
    print(out.getvalue())
