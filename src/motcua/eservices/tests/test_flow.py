"""The whole online flow through the pages: submit, accept, supplement, withdraw; idempotency;
bad uploads; the document store; the public lookup."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motcua.core.models import OutboxEvent
from motcua.core.outbox import deliver_due
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, ReceivedComponent
from motcua.dossiers.tests.factories import COMMUNE
from motcua.eservices import services
from motcua.eservices.models import OnlineSubmission
from motcua.eservices.tests.conftest import (
    BIRTH,
    files_on_disk,
    form_token,
    image_bytes,
    make_citizen,
    pdf_bytes,
    submission_data,
    submit,
    upload,
)
from motcua.lib.tests.poppler import pdf_text
from motcua.lib.tests.test_uploads import png_claiming

pytestmark = pytest.mark.django_db


def test_the_submission_page_needs_a_verified_citizen(client, people, birth):
    url = reverse("eservices:submit", args=[BIRTH])
    assert client.get(url).status_code == 302
    unverified = make_citizen("chua.xac.thuc@example.vn", verified=False)
    client.force_login(unverified)
    page = client.get(url)
    assert page.status_code == 403
    text = page.content.decode()
    assert "phải được xác thực" in text and reverse("citizens:profile") in text
    assert reverse("citizens:resend_verification") in text


def test_the_page_is_prefilled_and_lists_one_slot_per_paper(client, owner, birth, slot_keys):
    client.force_login(owner)
    page = client.get(reverse("eservices:submit", args=[BIRTH]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="0912345678"' in text  # the phone from the profile
    assert 'value="072190001234"' in text  # the e-form's requester id, prefilled
    for key in slot_keys.values():
        assert f'name="{key}"' in text and f'name="reuse-{key}"' not in text  # store is empty yet
    assert "Tờ khai điện tử ở trên thay cho giấy tờ này" in text
    assert "1 bản chính" in text and "Bắt buộc." in text


def test_the_whole_flow(client, owner, people, birth, slot_keys, media):
    client.force_login(owner)
    answer = submit(client, slot_keys)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    dossier = Dossier.objects.get(applicant__user=owner)
    assert answer["Location"] == reverse("eservices:dossier", args=[dossier.code]) + "?da-nop=1"
    # Status 1 at the commune that the procedure (commune level) and the applicant's unit designate.
    assert (dossier.status, dossier.stage, dossier.channel) == (1, "submitted", "online")
    assert dossier.receiving_agency.organ_code == COMMUNE
    assert dossier.applicant.unit.code == "25681" and dossier.applicant.phone == "0912345678"
    files = [c for c in dossier.components.all() if c.file and c.component_id]
    assert len(files) == 3
    assert sorted(c.file.name.rsplit(".", 1)[1] for c in files) == ["jpg", "pdf", "png"]
    # The declaration is a paper of the dossier too, printed as a PDF the official can read.
    # It is printed by the worker after the filing commits; until then the page says so.
    declaration = dossier.components.get(component__isnull=True)
    assert "tờ khai điện tử" in declaration.name and not declaration.file
    submission = OnlineSubmission.objects.get(dossier=dossier)
    assert submission.declaration["child"]["full_name"] == "Nguyễn Minh Khang"
    page = client.get(answer["Location"]).content.decode()
    assert "Đã nộp hồ sơ thành công" in page and "1. Mới đăng ký" in page
    assert "đang tạo tờ khai" in page
    assert deliver_due().get("delivered")  # the worker
    declaration.refresh_from_db()
    printed = pdf_text(declaration.file.open("rb").read())
    assert "Nguyễn Minh Khang" in printed and "05/03/2025" in printed
    page = client.get(answer["Location"]).content.decode()
    assert "đang tạo tờ khai" not in page
    assert reverse("eservices:document", args=[f"giay-to-{declaration.pk}"]) in page

    # The reception officer accepts: the clock starts (an earlier day, so that a pause shows).
    start = timezone.now() - timedelta(days=10)
    dossier_services.transition(dossier.pk, "accept", actor=people.reception, at=start,
                                data={"time_limit": [5, "working_day"]})
    dossier.refresh_from_db()
    assert dossier.status == 2 and dossier.due_at is not None
    page = client.get(reverse("eservices:dossier", args=[dossier.code])).content.decode()
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in page

    # A supplement request: the page tells the citizen what to do and offers one slot per paper.
    dossier_services.transition(dossier.pk, "request_supplement", actor=people.reception,
                                at=start + timedelta(days=3), reason="Giấy chứng sinh bị mờ",
                                data={"missing_papers": ["Giấy chứng sinh (bản rõ nét)"]})
    dossier.refresh_from_db()
    due_before = dossier.due_at
    page = client.get(reverse("eservices:dossier", args=[dossier.code])).content.decode()
    assert "Bổ sung giấy tờ cơ quan yêu cầu" in page and 'name="paper-0"' in page
    # Nothing attached: the field is named, nothing changes.
    bad = client.post(reverse("eservices:supplement", args=[dossier.code]), {})
    assert bad.status_code == 400 and "Chưa đính kèm" in bad.content.decode()
    ok = client.post(reverse("eservices:supplement", args=[dossier.code]),
                     {"paper-0": upload("giay-chung-sinh-ro.pdf", pdf_bytes("Bản rõ"), "application/pdf")})
    assert ok.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == "received" and dossier.paused_at is None
    assert dossier.due_at > due_before  # the clock resumed: the paused office time was added
    assert dossier.components.filter(note="Bổ sung trực tuyến").exclude(file="").count() == 1
    # A repeat of the same answer (double click) changes nothing.
    again = client.post(reverse("eservices:supplement", args=[dossier.code]),
                        {"paper-0": upload("giay-chung-sinh-ro.pdf", pdf_bytes("Bản rõ"), "application/pdf")})
    assert again.status_code == 302
    assert dossier.components.filter(note="Bổ sung trực tuyến").count() == 1
    assert dossier.history.filter(action="supplement").count() == 1

    # Withdrawal: a reason is required, then the dossier waits for the officer's confirmation.
    empty = client.post(reverse("eservices:withdraw", args=[dossier.code]), {"reason": " "})
    assert empty.status_code == 400 and "Nêu lý do rút hồ sơ" in empty.content.decode()
    done = client.post(reverse("eservices:withdraw", args=[dossier.code]), {"reason": "Đã nộp ở nơi khác"})
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.stage, dossier.status) == ("withdrawal", 7)
    page = client.get(reverse("eservices:dossier", args=[dossier.code])).content.decode()
    assert "Đã nộp ở nơi khác" in page and "Yêu cầu rút hồ sơ" in page


def test_double_submit_retry_and_two_tabs_give_one_dossier(client, owner, birth, slot_keys):
    client.force_login(owner)
    first_tab, second_tab = form_token(client), form_token(client)
    assert first_tab == second_tab  # two tabs of the same filing share the token
    one = submit(client, slot_keys, token=first_tab)
    two = submit(client, slot_keys, token=first_tab)  # double click / retry after a timeout
    three = submit(client, slot_keys, token=second_tab)  # the other tab
    assert one.status_code == two.status_code == three.status_code == 302
    assert one["Location"] == two["Location"] == three["Location"]
    assert Dossier.objects.filter(applicant__user=owner).count() == 1
    papers = ReceivedComponent.objects.filter(dossier__applicant__user=owner).exclude(file="")
    assert papers.count() == 3
    # One declaration to print, not three: the worker adds it once.
    assert OutboxEvent.objects.filter(topic=services.DECLARATION_TOPIC).count() == 1
    deliver_due()
    assert papers.count() == 4
    # Once filed, the page starts a new filing (a second child is a second dossier).
    assert form_token(client) != first_tab


def test_a_forged_token_is_refused(client, owner, other_citizen, birth, slot_keys):
    client.force_login(other_citizen)
    foreign = form_token(client)
    client.force_login(owner)
    answer = submit(client, slot_keys, token=foreign)
    assert answer.status_code == 400 and "Phiên nộp hồ sơ đã hết hạn" in answer.content.decode()
    assert not Dossier.objects.exists()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run"


def _encrypted_pdf() -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("mat-khau", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name, make, words", [
    ("giay-chung-sinh.pdf", lambda: EXE, "không phải pdf"),
    ("giay-chung-sinh.pdf", _encrypted_pdf, "mật khẩu"),
    ("giay-chung-sinh.pdf", lambda: b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10), "vượt quá giới hạn"),
    ("giay-chung-sinh.png", lambda: png_claiming(50_000, 50_000), "điểm ảnh"),
])
def test_bad_uploads_are_refused_at_their_field_and_nothing_is_kept(client, owner, birth, slot_keys, media, settings,
                                                                    name, make, words):
    settings.MOTCUA_UPLOAD_MAX_FILE_MB = 1
    client.force_login(owner)
    files = {slot_keys["birth_certificate"]: upload(name, make()),
             slot_keys["identity"]: upload("cccd.jpg", image_bytes("JPEG"), "image/jpeg")}
    answer = submit(client, slot_keys, files=files)
    text = answer.content.decode()
    assert answer.status_code == 400
    key = slot_keys["birth_certificate"]
    error = answer.context["errors"][key]
    assert error.startswith(f"Tệp “{name}”") and words in error.lower(), error
    assert f'id="{key}-error"' in text and f'href="#{key}"' in text
    assert not Dossier.objects.exists() and not ReceivedComponent.objects.exists()
    assert files_on_disk(media) == []


def test_a_required_paper_missing_and_field_errors_are_reported_together(client, owner, birth, slot_keys, media):
    client.force_login(owner)
    answer = client.post(reverse("eservices:submit", args=[BIRTH]),
                         submission_data(form_token(client), {}, unit="", phone="12", **{"tk-child.full_name": ""}))
    errors = answer.context["errors"]
    assert answer.status_code == 400
    assert "Chưa đính kèm" in errors[slot_keys["birth_certificate"]]
    assert "Chưa đính kèm" in errors[slot_keys["identity"]]
    assert slot_keys["authorisation"] not in errors  # optional
    assert "xã/phường" in errors["unit"] and "10 chữ số" in errors["phone"]
    assert "tk-child.full_name" in errors
    assert not Dossier.objects.exists() and files_on_disk(media) == []


def test_draft_is_saved_and_shown_again(client, owner, birth):
    client.force_login(owner)
    token = form_token(client)
    client.post(reverse("eservices:submit", args=[BIRTH]),
                {"form_token": token, "action": "save_draft", "tk-child.full_name": "Lê Bảo Ngọc"})
    page = client.get(reverse("eservices:submit", args=[BIRTH])).content.decode()
    assert "Lê Bảo Ngọc" in page
    assert not Dossier.objects.exists()


def test_document_store_reuse_is_a_safe_copy_and_never_anothers(client, owner, other_citizen, birth, slot_keys):
    client.force_login(owner)
    assert submit(client, slot_keys).status_code == 302
    first = Dossier.objects.get(applicant__user=owner)
    identity = first.components.get(name__startswith="- Hộ chiếu")
    item = f"giay-to-{identity.pk}"
    store = client.get(reverse("eservices:documents")).content.decode()
    assert reverse("eservices:document", args=[item]) in store
    download = client.get(reverse("eservices:document", args=[item]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == identity.file.open("rb").read()

    # A second filing reuses the identity paper instead of uploading it again.
    files = {slot_keys["birth_certificate"]: upload("gcs-2.pdf", pdf_bytes("Giấy chứng sinh 2"), "application/pdf")}
    answer = submit(client, slot_keys, files=files, **{f"reuse-{slot_keys['identity']}": item})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    second = Dossier.objects.filter(applicant__user=owner).exclude(pk=first.pk).get()
    reused = second.components.get(name__startswith="- Hộ chiếu")
    assert reused.file.name != identity.file.name  # a copy: the first dossier's file stays its own
    assert reused.file.read() == identity.file.open("rb").read()
    assert first.code in reused.note

    # Another citizen can neither download nor reuse it, and is told the same as for a made-up id.
    client.force_login(other_citizen)
    assert client.get(reverse("eservices:document", args=[item])).status_code == 404
    theirs = submit(client, slot_keys, files={
        slot_keys["birth_certificate"]: upload("gcs.pdf", pdf_bytes(), "application/pdf"),
    }, **{f"reuse-{slot_keys['identity']}": item})
    made_up = submit(client, slot_keys, files={
        slot_keys["birth_certificate"]: upload("gcs.pdf", pdf_bytes(), "application/pdf"),
    }, **{f"reuse-{slot_keys['identity']}": "giay-to-999999999"})
    assert theirs.status_code == made_up.status_code == 400
    assert theirs.context["errors"][slot_keys["identity"]] == made_up.context["errors"][slot_keys["identity"]] \
        == "Giấy tờ đã chọn không có trong kho giấy tờ của bạn."
    assert not Dossier.objects.filter(applicant__user=other_citizen).exists()


def test_public_lookup_needs_the_right_phone_and_says_the_same_otherwise(client, owner, birth, slot_keys, settings):
    client.force_login(owner)
    submit(client, slot_keys)
    dossier = Dossier.objects.get(applicant__user=owner)
    client.logout()
    url = reverse("eservices:lookup")
    assert client.get(url + f"?ma={dossier.code}").content.decode().count(dossier.code) >= 1
    right = client.post(url, {"code": dossier.code, "phone": "+84 912 345 678"})
    text = right.content.decode()
    assert right.status_code == 200
    assert "1. Mới đăng ký" in text and dossier.receiving_agency.name in text
    assert "N. V. An" in text and "*********234" in text
    assert "072190001234" not in text and "Nguyễn Văn An" not in text
    assert "giay-to-" not in text  # no documents
    wrong = client.post(url, {"code": dossier.code, "phone": "0900000000"})
    unknown = client.post(url, {"code": "000.00.00.X00-000000-0000", "phone": "0912345678"})
    assert wrong.status_code == unknown.status_code == 404
    def page(response, *typed):  # what the visitor reads, aside from what they typed and the CSRF token
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        for value in typed:
            text = text.replace(value, "")
        return text

    assert page(wrong, dossier.code, "0900000000") == page(unknown, "000.00.00.X00-000000-0000", "0912345678")
    assert "Không tìm thấy hồ sơ có mã và số điện thoại này" in wrong.content.decode()
    # Guessing the phone for a known code is rate limited like the login.
    for _ in range(settings.MOTCUA_LOGIN_MAX_FAILURES):
        client.post(url, {"code": dossier.code, "phone": "0900000001"})
    blocked = client.post(url, {"code": dossier.code, "phone": "0912345678"})
    assert blocked.status_code == 429 and "Retry-After" in blocked


def test_my_dossiers_masks_ids_and_costs_constant_queries(client, owner, other_citizen, people, birth):
    from motcua.dossiers.services import ComponentInput, submit_online
    from motcua.units.models import Agency

    _procedure, version, _eform = birth
    agency = Agency.objects.get(organ_code=COMMUNE)

    def file_one(user):
        submit_online(version=version, agency=agency, actor=user,
                      applicant={"full_name": "Nguyễn Văn An", "id_number": "072190001234", "phone": "0912345678",
                                 "user": user}, components=[ComponentInput(name="Giấy chứng sinh", originals=1)])

    file_one(owner)
    file_one(other_citizen)
    client.force_login(owner)
    url = reverse("eservices:my_dossiers")
    with CaptureQueriesContext(connection) as one:
        page = client.get(url)
    text = page.content.decode()
    assert "*********234" in text and "072190001234" not in text
    assert Dossier.objects.filter(applicant__user=other_citizen).get().code not in text
    for _ in range(6):
        file_one(owner)
    with CaptureQueriesContext(connection) as seven:
        client.get(url)
    assert len(seven) == len(one)


def test_procedure_page_links_to_online_submission(client, birth):
    page = client.get(reverse("portal:procedure", args=[BIRTH])).content.decode()
    assert reverse("eservices:submit", args=[BIRTH]) in page


def test_header_links(client, owner, people):
    anonymous = client.get(reverse("eservices:lookup")).content.decode()
    assert reverse("citizens:login") in anonymous and reverse("citizens:register") in anonymous
    assert reverse("eservices:my_dossiers") not in anonymous
    client.force_login(owner)
    signed_in = client.get(reverse("eservices:lookup")).content.decode()
    for name in ("eservices:my_dossiers", "eservices:documents", "citizens:profile", "citizens:logout",
                 "eservices:lookup"):
        assert reverse(name) in signed_in
    assert 'href="' + reverse("citizens:login") + '"' not in signed_in


def test_designation_prefers_the_agency_with_reception_staff(people, birth):
    from motcua.eservices.selectors import current_unit, designated_agency

    _procedure, version, _eform = birth
    assert designated_agency(version, current_unit("25681")).organ_code == COMMUNE


def test_a_fee_shows_the_pay_button_and_starts_a_payment(client, owner, people):
    from motcua.catalog.models import Procedure
    from motcua.dossiers.services import ComponentInput, submit_online
    from motcua.units.models import Agency

    # Đăng ký thường trú: 10.000 đồng when filed online.
    version = Procedure.objects.get(code="1.004222").current_version
    dossier = submit_online(version=version, agency=Agency.objects.get(organ_code=COMMUNE), actor=owner,
                            applicant={"full_name": "Nguyễn Văn An", "phone": "0912345678", "user": owner},
                            components=[ComponentInput(name="Tờ khai thay đổi thông tin cư trú", originals=1)])
    assert dossier.fee_amount == 10000
    client.force_login(owner)
    page = client.get(reverse("eservices:dossier", args=[dossier.code]))
    text = page.content.decode()
    assert page.context["todo"].key == "pay"
    assert "chưa nộp" in text and "Nộp phí" in text
    assert f'action="{reverse("payments:dossier_fee", args=[dossier.pk])}"' in text
    started = client.post(reverse("payments:dossier_fee", args=[dossier.pk]))
    assert started.status_code == 302 and "/thanh-toan/sandbox/" in started["Location"]


def test_my_dossiers_pages_of_20_newest_first_and_filter_by_status(client, owner, other_citizen, people, birth):
    from motcua.dossiers.services import ComponentInput, submit_online
    from motcua.units.models import Agency

    _procedure, version, _eform = birth
    agency = Agency.objects.get(organ_code=COMMUNE)
    start = timezone.now() - timedelta(days=30)

    def file_one(user, at):
        return submit_online(version=version, agency=agency, actor=user, at=at,
                             applicant={"full_name": "Nguyễn Văn An", "phone": "0912345678", "user": user},
                             components=[ComponentInput(name="Giấy chứng sinh", originals=1)])

    # 45 dossiers, two at a time filed at the same instant: the order must still be stable.
    mine = [file_one(owner, start + timedelta(hours=n // 2)) for n in range(45)]
    file_one(other_citizen, start)
    for dossier in mine[:5]:
        dossier_services.transition(dossier.pk, "refuse", actor=people.reception, reason="Không thuộc thẩm quyền")
    expected = [d.code for d in sorted(mine, key=lambda d: (d.submitted_at, d.pk), reverse=True)]
    client.force_login(owner)
    url = reverse("eservices:my_dossiers")

    def codes(page: str) -> list[str]:
        return re.findall(r'class="code">([^<]+)</a>', page)

    pages = [client.get(url, {"trang": n}).content.decode() for n in (1, 2, 3)]
    assert [len(codes(p)) for p in pages] == [20, 20, 5]
    assert codes(pages[0]) + codes(pages[1]) + codes(pages[2]) == expected  # none repeated, none skipped
    assert "45 hồ sơ, mới nhất trước" in pages[0] and "đang hiện 1–20" in pages[0]
    assert "Trang 1/3" in pages[0] and "trang=2" in pages[0] and "Trang trước" not in pages[0]
    assert "Trang 3/3" in pages[2] and "Trang sau" not in pages[2] and "đang hiện 41–45" in pages[2]
    # A page past the end shows the last one; a page that is not a number, the first.
    assert codes(client.get(url, {"trang": 99}).content.decode()) == codes(pages[2])
    assert codes(client.get(url, {"trang": "abc"}).content.decode()) == codes(pages[0])

    # The filter by national status: 3 = Không được tiếp nhận; page links keep it.
    refused = client.get(url, {"trang-thai": 3}).content.decode()
    assert sorted(codes(refused)) == sorted(d.code for d in mine[:5])
    assert '<option value="3" selected>' in refused and "5 hồ sơ" in refused
    new = client.get(url, {"trang-thai": 1, "trang": 2}).content.decode()
    assert len(codes(new)) == 20 and "trang-thai=1&amp;trang=1" in new
    assert "Không có hồ sơ nào ở trạng thái này" in client.get(url, {"trang-thai": 10}).content.decode()
    bad = client.get(url, {"trang-thai": "xong"})
    assert bad.status_code == 400
    assert "Trạng thái: hãy chọn một trạng thái trong danh sách." in bad.content.decode()
    assert len(codes(bad.content.decode())) == 20  # still the list, unfiltered
