"""A very long queue is not counted to the end: the page says "more than 1,000"."""

import pytest

from motcua.backoffice.views import CappedPaginator
from motcua.units.models import AdministrativeUnit


@pytest.mark.django_db
def test_the_count_stops_past_the_cap():
    communes = AdministrativeUnit.objects.filter(level="commune").order_by("pk")  # 13,372 real rows
    paginator = CappedPaginator(communes, 20)
    assert paginator.count == 1001
    assert paginator.capped
    assert paginator.get_page(3).object_list[0] == communes[40]
    small = CappedPaginator(communes[:35], 20)
    assert small.count == 35 and not small.capped and small.num_pages == 2
