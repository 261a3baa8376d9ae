import datetime
from decimal import Decimal

import pytest

from motcua.reform.models import CostParameters


@pytest.fixture
def prices(db):
    """One known set of prices in force, whatever today's date (the seeded rows are removed in the test)."""
    CostParameters.objects.all().delete()
    return CostParameters.objects.create(
        name="Tham số kiểm thử", effective_from=datetime.date(2000, 1, 1), legal_source="Kiểm thử",
        monthly_income=4_470_000, working_days_per_month=22, hours_per_day=8, cost_per_copy=2_500,
        travel_cost_per_trip=30_000, postage_per_dossier=50_000, info_hours=Decimal("1.00"),
        hours_per_component=Decimal("0.50"), hours_per_trip=Decimal("2.00"), online_submit_hours=Decimal("0.50"),
    )
