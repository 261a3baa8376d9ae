"""Seed the rating criteria (vn-domain §5.2) and the SIPAS questionnaire (vn-domain §5.1).

The data is written out here, not imported from the app, so this migration gives the same rows
forever. Later changes are new rows (a later `effective_from`) made in the admin.
"""

from datetime import date

from django.db import migrations

RATING_SOURCE = (
    "12 tiêu chí, mỗi tiêu chí 3 lựa chọn: Cổng DVC Thừa Thiên Huế, dichvucong.thuathienhue.gov.vn/mucdo-hailong [V]; "
    "thang 0–2 điểm theo NĐ 61/2018/NĐ-CP và TT 01/2018/TT-VPCP [K, chưa đối chiếu văn bản]; trọng số 1 (cấu hình)"
)
RATING_FROM = date(2018, 6, 21)  # Decree 61/2018/NĐ-CP takes effect [K]

# (number, title, question, 2 points, 1 point, 0 points, optional, from_overall_level)
RATING_CRITERIA = [
    (1, "Đánh giá chung về dịch vụ", "Đánh giá chung của ông/bà về việc giải quyết hồ sơ",
     "Rất hài lòng", "Hài lòng", "Không hài lòng", False, True),
    (2, "Sự thuận tiện khi sử dụng", "Việc nộp hồ sơ, theo dõi và nhận kết quả có thuận tiện không (dễ sử dụng, "
     "thời gian phản hồi)?", "Rất thuận tiện", "Thuận tiện", "Không thuận tiện", False, False),
    (3, "Sự đúng hẹn", "Hồ sơ được xử lý và trả kết quả so với ngày hẹn như thế nào?",
     "Trước ngày hẹn", "Đúng ngày hẹn", "Trễ hẹn", False, False),
    (4, "Thái độ của cán bộ, công chức", "Thái độ của cán bộ, công chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ",
     "Lịch sự, tận tình, chu đáo", "Bình thường", "Gây phiền hà, sách nhiễu hoặc thiếu lịch sự", False, False),
    (5, "Thời gian giải quyết so với quy định", "Tổng thời gian giải quyết so với thời hạn theo quy định",
     "Ngắn hơn thời hạn", "Bằng thời hạn", "Dài hơn thời hạn", False, False),
    (6, "Thời gian thực tế so với quy trình", "Thời gian thực tế của từng khâu (tiếp nhận, xử lý, trả kết quả) so "
     "với quy trình đã công bố", "Nhanh hơn quy trình", "Đúng quy trình", "Chậm hơn quy trình", False, False),
    (7, "Số lần phải liên hệ để hoàn thiện hồ sơ", "Số lần ông/bà phải liên hệ để bổ sung, hoàn thiện hồ sơ",
     "Không lần nào", "1 lần", "Từ 2 lần trở lên", False, False),
    (8, "Số cơ quan phải liên hệ", "Số cơ quan, đơn vị ông/bà phải liên hệ để hoàn thành thủ tục",
     "1 cơ quan", "2 cơ quan", "Từ 3 cơ quan trở lên", False, False),
    (9, "Tiếp nhận, trả kết quả tại Bộ phận Một cửa", "Hồ sơ được tiếp nhận và trả kết quả ở đâu?",
     "Cả tiếp nhận và trả kết quả tại Bộ phận Một cửa hoặc trực tuyến", "Chỉ tiếp nhận hoặc chỉ trả kết quả tại "
     "Bộ phận Một cửa", "Phải đến phòng, ban chuyên môn", False, False),
    (10, "Công khai thủ tục hành chính", "Thủ tục hành chính có được công khai (niêm yết, trên Cổng dịch vụ công)?",
     "Đầy đủ, đúng quy định", "Có công khai nhưng chưa đầy đủ", "Không công khai", False, False),
    (11, "Tiếp nhận, xử lý phản ánh, kiến nghị", "Nếu ông/bà có phản ánh, kiến nghị: việc tiếp nhận, xử lý và giải "
     "trình", "Được trả lời thỏa đáng, đúng hạn", "Được trả lời nhưng chậm hoặc chưa thỏa đáng", "Không được trả lời",
     True, False),
    (12, "Tiến độ, chất lượng dịch vụ công trực tuyến", "Nếu ông/bà dùng dịch vụ công trực tuyến: tiến độ và chất "
     "lượng của dịch vụ", "Nhanh, ổn định, dễ dùng", "Dùng được nhưng còn chậm hoặc lỗi", "Không dùng được",
     True, False),
]

ELEMENT_SOURCE = "QĐ 2640/QĐ-BNV (10/10/2017); QĐ 1001/QĐ-BNV (11/12/2023) [V: 5 yếu tố × 3 nội dung]"
CRITERIA_SOURCE = ("22 tiêu chí hài lòng, thang 5 mức, theo Đề án đo lường SIPAS, QĐ 2640/QĐ-BNV [K: chưa đối chiếu "
                   "văn bản; danh mục câu hỏi 2023–2026 của QĐ 1001/QĐ-BNV chưa xác minh, vn-domain §11.7]")
ASSESSMENT_SOURCE = "Câu hỏi nhận định điển hình, vn-domain §5.1 [V]; cách diễn đạt lựa chọn: motcua"
EXPECTATION_SOURCE = "Nội dung “sự mong đợi”, vn-domain §5.1 [V]; câu hỏi và lựa chọn: motcua [K]"
KEEP = "Giữ như hiện nay"

# element number → (title, assessment questions, satisfaction criteria, expectation choices)
SIPAS = {
    1: ("Tiếp cận dịch vụ",
        [("Ông/bà biết đến thủ tục và nơi giải quyết qua kênh nào?",
          ["Niêm yết tại nơi giải quyết", "Cổng dịch vụ công, trang thông tin điện tử", "Người thân, tổ dân phố",
           "Báo chí, phát thanh, truyền hình", "Kênh khác"])],
        ["Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi",
         "Trang thiết bị phục vụ người dân tại Bộ phận Một cửa đầy đủ",
         "Trang thiết bị phục vụ người dân tại Bộ phận Một cửa hiện đại",
         "Trang thiết bị phục vụ người dân tại Bộ phận Một cửa dễ sử dụng"],
        ["Thêm chỗ ngồi chờ", "Trang thiết bị hiện đại hơn", "Thêm kênh tiếp cận trực tuyến", KEEP]),
    2: ("Thủ tục hành chính",
        [("Ông/bà phải đi lại bao nhiêu lần để giải quyết hồ sơ?", ["1 lần", "2 lần", "3 lần", "Từ 4 lần trở lên"]),
         ("Phí, lệ phí ông/bà đã nộp có đúng quy định không?", ["Đúng quy định", "Cao hơn quy định", "Không biết"])],
        ["Thủ tục hành chính được niêm yết công khai đầy đủ",
         "Thủ tục hành chính được niêm yết công khai chính xác",
         "Thành phần hồ sơ phải nộp là đúng quy định",
         "Phí, lệ phí phải nộp là đúng quy định",
         "Thời hạn giải quyết (từ ngày tiếp nhận đến ngày nhận kết quả) là đúng quy định"],
        ["Giảm thành phần hồ sơ", "Rút ngắn thời hạn giải quyết", "Giảm phí, lệ phí", KEEP]),
    3: ("Công chức trực tiếp giải quyết công việc",
        [("Công chức có gây phiền hà, sách nhiễu hoặc gợi ý nộp thêm tiền không?",
          ["Không", "Có gây phiền hà, sách nhiễu", "Có gợi ý nộp thêm tiền ngoài quy định"])],
        ["Công chức có thái độ giao tiếp lịch sự",
         "Công chức chú ý lắng nghe ý kiến của người dân",
         "Công chức trả lời, giải thích đầy đủ các ý kiến của người dân",
         "Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo",
         "Công chức hướng dẫn kê khai hồ sơ dễ hiểu",
         "Công chức tuân thủ đúng quy định trong giải quyết công việc"],
        ["Thái độ phục vụ", "Năng lực hướng dẫn, giải thích", "Tuân thủ quy định", KEEP]),
    4: ("Kết quả dịch vụ",
        [("Kết quả có được trả đúng ngày hẹn không?",
          ["Đúng hoặc sớm hơn ngày hẹn", "Trễ hẹn, có thông báo và xin lỗi", "Trễ hẹn, không thông báo, xin lỗi"])],
        ["Kết quả nhận được là đúng quy định",
         "Kết quả nhận được có thông tin đầy đủ",
         "Kết quả nhận được có thông tin chính xác"],
        ["Trả kết quả điện tử", "Trả kết quả nhanh hơn", "Thông tin kết quả chính xác hơn", KEEP]),
    5: ("Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
        [("Ông/bà có góp ý, phản ánh, kiến nghị với cơ quan không?", ["Không", "Có"])],
        ["Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị",
         "Người dân dễ dàng thực hiện góp ý, phản ánh, kiến nghị",
         "Cơ quan tiếp nhận, xử lý góp ý, phản ánh, kiến nghị tích cực",
         "Cơ quan thông báo kịp thời kết quả xử lý góp ý, phản ánh, kiến nghị"],
        ["Thêm kênh góp ý, phản ánh", "Trả lời nhanh hơn", "Công khai kết quả xử lý", KEEP]),
}


def seed(apps, schema_editor):
    RatingCriterion = apps.get_model("satisfaction", "RatingCriterion")
    SipasElement = apps.get_model("satisfaction", "SipasElement")
    SipasCriterion = apps.get_model("satisfaction", "SipasCriterion")
    for number, title, question, c2, c1, c0, optional, overall in RATING_CRITERIA:
        RatingCriterion.objects.update_or_create(
            number=number, effective_from=RATING_FROM,
            defaults={"title": title, "question": question, "choice_2": c2, "choice_1": c1, "choice_0": c0,
                      "weight": 1, "optional": optional, "from_overall_level": overall, "active": True,
                      "legal_source": RATING_SOURCE},
        )
    for number, (title, assessments, criteria, expectations) in SIPAS.items():
        element, _ = SipasElement.objects.update_or_create(
            number=number, defaults={"title": title, "legal_source": ELEMENT_SOURCE})
        rows = [(f"{number}.{'abcd'[i]}", "assessment", i + 1, text, choices, ASSESSMENT_SOURCE)
                for i, (text, choices) in enumerate(assessments)]
        rows += [(f"{number}.{i + 1}", "satisfaction", 10 + i, text, [], CRITERIA_SOURCE)
                 for i, text in enumerate(criteria)]
        rows.append((f"{number}.m", "expectation", 90,
                     f"Ông/bà mong muốn cải thiện điều gì nhất về “{title.lower()}”?", expectations,
                     EXPECTATION_SOURCE))
        for code, content, order, text, choices, source in rows:
            SipasCriterion.objects.update_or_create(
                code=code, defaults={"element": element, "content": content, "order": order, "text": text,
                                     "choices": choices, "active": True, "legal_source": source})


class Migration(migrations.Migration):
    dependencies = [("satisfaction", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
