"""Two tabs (or a double click) posting the same filing at the same moment: one dossier, one set of files.

Needs real parallel transactions, which the in-memory SQLite test database cannot give; skipped
there with that reason. CI runs it on PostgreSQL.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from motcua.catalog.models import Procedure
from motcua.core.outbox import deliver_due
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_concurrency import people  # noqa: F401 — loads 1.001193 after the flush
from motcua.eforms.tests.conftest import shipped_form
from motcua.eservices import selectors, services
from motcua.eservices.tests.conftest import BIRTH, files_on_disk, make_citizen, submission_data, three_files

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel transactions (PostgreSQL)"),
]


def test_two_tabs_submitting_at_once_file_one_dossier(people, media):  # noqa: F811
    owner = make_citizen("an.nguyen@example.vn")
    procedure = Procedure.objects.get(code=BIRTH)
    version, eform = procedure.current_version, shipped_form(BIRTH)
    slots = selectors.submission_slots(version, eform)

    def key(start: str) -> str:
        return next(s.key for s in slots if s.name.lstrip("- ").startswith(start))

    keys = {"birth_certificate": key("Giấy chứng sinh"), "identity": key("Hộ chiếu/Thẻ căn cước"),
            "authorisation": key("Văn bản ủy quyền")}
    token = services.open_submission(owner, version).token

    def tab(_n):
        try:
            post = QueryDict(mutable=True)
            for name, value in submission_data(token, {}).items():
                post[name] = value
            files = MultiValueDict({name: [f] for name, f in three_files(keys).items()})
            return services.submit(owner, token=token, version=version, eform=eform, post=post, files=files).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        pks = list(pool.map(tab, range(2)))
    assert pks[0] == pks[1]
    assert Dossier.objects.count() == 1
    assert len(files_on_disk(media)) == 3  # three papers, once
    deliver_due()  # the worker prints the declaration, once
    assert len(files_on_disk(media)) == 4
