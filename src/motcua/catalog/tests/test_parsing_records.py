"""Real records of both sources, parsed end to end, against the structure a reader of the catalogue sees.

The field texts are copied verbatim (in NFC) from the vendored sources
(catalog/data/chatbot_tthc_central_procedures.raw.jsonl.gz and nhdandz_bqp_procedures_structured.jsonl);
test_portal_record_in_nfd checks the other spelling a fifth of the portal's records use.
"""

import unicodedata
from datetime import date
from decimal import Decimal

from motcua.catalog.parsing import parse_bqp_record, parse_portal_record
from motcua.catalog.records import ChannelRecord, ComponentRecord, FeeRecord, LegalBasisRecord

KHAI_SINH = {
    "ma_thu_tuc": "1.001193",
    "ten_thu_tuc": "Thủ tục đăng ký khai sinh",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực "
        "tiếp1Miễn phí"
    ),
    "can_cu_phap_ly": (
        "Tên văn bản pháp lýMã văn bảnThông tư Hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định "
        "của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương85/2019/TT-BTCNghị định sửa đổi, bổ "
        "sung một số điều của các Nghị định liên quan đến việc nộp xuất trình sổ hộ khẩu, sổ tạm trú "
        "giấy khi thực hiện thủ tục hành chính, cung cấp dịch vụ công104/2022/NĐ-CPNghị định số "
        "123/2015/NĐ-CP ngày 15/11/2015 của  Chính phủ quy định chi tiết một số điều và biện pháp thi  "
        "hành Luật Hộ tịch123/2015/NĐ-CPThông tư số 08/2025/TT-BTP ngày 12/6/2025 của Bộ trưởng Bộ Tư "
        "pháp quy định về phân định thẩm quyền của chính quyền địa phương 02 cấp và phân cấp trong lĩnh "
        "vực quản lý nhà nước của Bộ Tư pháp08/2025/TT-BTPNghị định sửa đổi, bổ sung một số nghị định để "
        "cắt giảm, đơn giản hóa thủ tục hành chính, điều kiện kinh doanh  thuộc phạm vi quản lý của Bộ "
        "Tư pháp18/2026/NĐ-CP Nghị định quy định về Cơ sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực "
        "tuyến87/2020/NĐ-CPSửa đổi, bổ sung một số điều của Thông tư số 02/2020/TT-BTP ngày 08/4/2020 "
        "của Bộ trưởng Bộ Tư pháp ban hành, hướng dẫn sử dụng, quản lý mẫu sổ quốc tịch và mẫu giấy tờ "
        "về quốc tịch và Thông tư số 04/2020/TT-BTP ngày 28/5/2020 của Bộ trưởng Bộ Tư pháp quy định chi "
        "tiết thi hành một số điều của Luật Hộ tịch và Nghị định  số 123/2015/NĐ-CP ngày 15/11/2015 của "
        "Chính phủ quy định chi tiết  một số điều và biện pháp thi hành Luật Hộ tịch04/2024/TT-BTPThông "
        "tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư phápThông tư số 03/2023/TT-BTPThông tư "
        "sửa đổi, bổ sung một số điều của Thông tư số 85/2019/TT-BTC ngày 29/11/2019 của Bộ Tài chính "
        "hướng dẫn về phí và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố "
        "trực thuộc Trung ương.106/2021/TT-BTCHướng dẫn Luật hộ tịch và Nghị định 123/2015/NĐ-CP hướng "
        "dẫn Luật hộ tịch do Bộ trưởng Bộ Tư pháp ban hành04/2020/TT-BTPNghị định sửa đổi, bổ sung một "
        "số điều của các Nghị định trong lĩnh vực hộ tịch, quốc tịch, chứng thực.07/2025/NĐ-CPNghị định "
        "số 120/2025/NĐ-CP ngày 11/6/2025 của Chính phủ quy định về phân định thẩm quyền của chính quyền "
        "địa phương 02 cấp trong lĩnh vực quản lý nhà nước của Bộ Tư pháp.120/2025/NĐ-CPNghị quyết số "
        "66.7/2025/NQ-CP của Chính phủ: Quy định cắt giảm, đơn giản hóa thủ tục hành chính dựa trên dữ "
        "liệu66.7/2025/NQ-CPLuật 60/2014/QH1360/2014/QH13Thông tư quy định chi tiết một số điều và biện "
        "pháp thi hành Nghị định số 87/2020/NĐ-CP ngày 28 tháng 7 năm 2020 của Chính phủ quy định về Cơ "
        "sở dữ liệu hộ tịch điện tử, đăng ký hộ tịch trực tuyến01/2022/TT-BTP"
    ),
    "ket_qua_xu_ly": (
        "Giấy khai sinhMã: KQ.G15.000031Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan "
        "thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ "
        "thống chỉ hiển thị những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
    ),
}

KET_HON = {
    "ma_thu_tuc": "1.000894",
    "ten_thu_tuc": "Thủ tục đăng ký kết hôn",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phí(Miễn lệ phí. Phí cấp bản sao Trích "
        "lục kết hôn (nếu có yêu cầu) thực hiện theo quy định tại Thông tư số 281/2016/TT-BTC ngày "
        "14/11/2016 của Bộ Tài chính.)Dịch vụ bưu chính1Miễn phí((Miễn lệ phí. Phí cấp bản sao Trích lục "
        "kết hôn (nếu có yêu cầu) thực hiện theo quy định tại Thông tư số 281/2016/TT-BTC ngày "
        "14/11/2016 của Bộ Tài chính.))Trực tiếp1Miễn phí(Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn "
        "(nếu có yêu cầu) thực hiện theo quy định tại Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ "
        "Tài chính.)"
    ),
    "ket_qua_xu_ly": (
        "Giấy chứng nhận kết hônMã: KQ.G15.000032Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ "
        "quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã "
        "--Hệ thống chỉ hiển thị những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
    ),
}

THUONG_TRU = {
    "ma_thu_tuc": "1.004222",
    "ten_thu_tuc": "Đăng ký thường trú",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm việc10,000 Việt Nam Đồng(Trường hợp "
        "công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu 10.000 đồng/lần đăng ký.)Trực tiếp7 "
        "Ngày làm việc20,000 Việt Nam Đồng(Trường hợp công dân thuộc diện được miễn phí theo quy định "
        "tại Điều 4 Thông tư số 75/2022/TT-BTC ngày 22/12/2022 quy định mức thu, chế độ thu, nộp và quản "
        "lý lệ phí đăng ký cư trú được sửa đổi, bổ sung tại Thông tư số 71/2025/TT-BTC ngày 01/7/2025 "
        "của Bộ Tài chính thì công dân phải xuất trình giấy tờ chứng minh thuộc diện được miễn trừ "
        "trường hợp thông tin đã có trong Cơ sở dữ liệu quốc gia về dân cư hoặc Cơ sở dữ liệu quốc gia, "
        "cơ sở)"
    ),
    "ket_qua_xu_ly": (
        "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cưMã: KQ.G01.000064Thông báo kết quả "
        "giải quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trúMã: KQ.G01.000065Phiếu từ chối tiếp nhận, "
        "giải quyết hồ sơ (lĩnh vực cư trú)Mã: KQ.G01.000067Cập nhật thông tin trong Cơ sở dữ liệu về cư "
        "trúMã: KQ.G01.000066Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ "
        "Thành phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển "
        "thị những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
    ),
}

LY_LICH_TU_PHAP = {
    "ma_thu_tuc": "3.000333",
    "ten_thu_tuc": (
        "Cấp Phiếu Lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam, "
        "người Việt Nam đang cư trú ở nước ngoài"
    ),
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến10 NgàyMiễn phí(Thực hiện theo Thông tư số "
        "244/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và "
        "sử dụng phí cung cấp thông tin lý lịch tư pháp (khi có Thông tư mới sửa đổi, bổ sung hoặc thay "
        "thế Thông tư số 244 của Bộ Tài chính thì thực hiện theo Thông tư mới).)Dịch vụ bưu chính10 "
        "NgàyMiễn phí(Thực hiện theo Thông tư số 244/2016/TT-BTC ngày 11/11/2016 của Bộ Tài chính quy "
        "định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp thông tin lý lịch tư pháp (khi "
        "có Thông tư mới sửa đổi, bổ sung hoặc thay thế Thông tư số 244 của Bộ Tài chính thì thực hiện "
        "theo Thông tư mới).)Trực tiếp10 NgàyMiễn phí(Thực hiện theo Thông tư số 244/2016/TT-BTC ngày "
        "11/11/2016 của Bộ Tài chính quy định mức thu, chế độ thu, nộp, quản lý và sử dụng phí cung cấp "
        "thông tin lý lịch tư pháp (khi có Thông tư mới sửa đổi, bổ sung hoặc thay thế Thông tư số 244 "
        "của Bộ Tài chính thì thực hiện theo Thông tư mới).)"
    ),
    "thanh_phan_ho_so": (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá "
        "nhân trong trường hợp ủy quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1 và cá nhân là cha, mẹ của "
        "người chưa thành niên yêu cầu cấp Phiếu Lý lịch tư pháp số 1, số 2), Mẫu số 02/2025/LLTP;1 bản "
        "chínhTờ khai yêu cầu cấp Phiếu Lý lịch tư pháp điện tử tương tác (Dùng cho cá nhân trong trường "
        "hợp ủy quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1 và cá nhân là cha, mẹ của người chưa thành "
        "niên yêu cầu cấp Phiếu Lý lịch tư pháp số 1, số 2), Mẫu số 05/2025/LLTP;1 bản chínhBản sao Thẻ "
        "Căn cước hoặc thẻ Căn cước công dân hoặc Giấy xác nhận căn cước hoặc Hộ chiếu của người được "
        "cấp Phiếu (Xuất trình bản chính để đối chiếu. Trường hợp không có bản chính thì nộp bản sao có "
        "chứng thực theo quy định của pháp luật).1 bản chínhTờ khai yêu cầu cấp Phiếu Lý lịch tư pháp "
        "(Dùng cho cá nhân có yêu cầu cấp Phiếu Lý lịch tư pháp), Mẫu số 01/2025/LLTP;1 bản chínhCác "
        "giấy tờ để chứng minh đối tượng miễn, hoặc giảm phí (nếu có).1 bản chínhVăn bản ủy quyền yêu "
        "cầu cấp Phiếu Lý lịch tư pháp số 1 (người được ủy quyền phải xuất trình Thẻ Căn cước hoặc Thẻ "
        "Căn cước công dân hoặc Giấy chứng nhận căn cước hoặc Hộ chiếu khi thực hiện thủ tục yêu cầu cấp "
        "Phiếu Lý lịch tư pháp. Trường hợp người được ủy quyền là cha, mẹ, vợ, chồng, con của người ủy "
        "quyền thì không cần văn bản ủy quyền). Văn bản ủy quyền phải được công chứng, chứng thực theo "
        "quy định của pháp luật Việt Nam. Cá nhân yêu cầu cấp Phiếu Lý lịch tư pháp số 2 không được ủy "
        "quyền cho người khác làm thủ tục yêu cầu cấp Phiếu Lý lịch tư pháp trừ trường hợp cá nhân là "
        "người chưa thành niên có thể ủy quyền cho cha, mẹ yêu cầu cấp Phiếu Lý lịch tư pháp số 2.1 bản "
        "chínhTờ khai yêu cầu cấp Phiếu Lý lịch tư pháp điện tử tương tác (Dùng cho cá nhân có yêu cầu "
        "cấp Phiếu Lý lịch tư pháp), Mẫu số 04/2025/LLTP;1 bản chính"
    ),
    "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật 28/2009/QH1228/2009/QH12",
    "ket_qua_xu_ly": (
        "Phiếu Lý lịch tư pháp số 2 (Cấp tỉnh)Mã: KQ.G01.000199Phiếu Lý lịch tư pháp số 1 (Cấp tỉnh)Mã: "
        "KQ.G01.000200Từ khóaKhông có thông tinMô tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành "
        "phốBộ ngành-- Chọn Tỉnh/ Thành phố --Phường/ XãSở-- Chọn Phường/ Xã --Hệ thống chỉ hiển thị "
        "những cơ quan đã áp dụng dịch vụ công trực tuyếnNộp hồ sơ"
    ),
}

HO_KINH_DOANH = {
    "ma_thu_tuc": "1.001612",
    "ten_thu_tuc": "Đăng ký thành lập hộ kinh doanh",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông có thông tin150,000 Việt Nam Đồng(- Mức "
        "lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định (căn cứ quy định tại Thông tư số "
        "85/2019/TT-BTC). - Người nộp hồ sơ đăng ký hộ kinh doanh nộp lệ phí đăng ký hộ kinh doanh tại "
        "thời điểm nộp hồ sơ đăng ký hộ kinh doanh. Lệ phí đăng ký hộ kinh doanh có thể nộp trực tiếp "
        "tại bộ phận tiếp nhận hồ sơ đăng ký hộ kinh doanh ở cấp xã hoặc chuyển vào tài khoản của cơ "
        "quan đăng ký kinh doanh cấp xã hoặc sử dụng dịch vụ thanh toán trực tuyến trên Cổng dịch vụ "
        "công quốc gia. Lệ phí đăng ký hộ kinh doanh không được hoàn trả cho hộ kinh doanh trong trường "
        "hợp hộ kinh doanh không được cấp đăng ký hộ kinh doanh. - Lệ phí đăng ký kinh doanh không bao "
        "gồm tiền sử dụng dịch vụ thanh toán điện tử.)Dịch vụ bưu chínhKhông có thông tin150,000 Việt "
        "Nam Đồng(- Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định (căn cứ quy định tại Thông tư "
        "số 85/2019/TT-BTC). - Người nộp hồ sơ đăng ký hộ kinh doanh nộp lệ phí đăng ký hộ kinh doanh "
        "tại thời điểm nộp hồ sơ đăng ký hộ kinh doanh. Lệ phí đăng ký hộ kinh doanh có thể nộp trực "
        "tiếp tại bộ phận tiếp nhận hồ sơ đăng ký hộ kinh doanh ở cấp xã hoặc chuyển vào tài khoản của "
        "cơ quan đăng ký kinh doanh cấp xã hoặc sử dụng dịch vụ thanh toán trực tuyến trên Cổng dịch vụ "
        "công quốc gia. Lệ phí đăng ký hộ kinh doanh không được hoàn trả cho hộ kinh doanh trong trường "
        "hợp hộ kinh doanh không được cấp đăng ký hộ kinh doanh. - Lệ phí đăng ký kinh doanh không bao "
        "gồm tiền sử dụng dịch vụ thanh toán điện tử.)Trực tiếpKhông có thông tin50,000 VNĐ(- Mức lệ phí "
        "cụ thể do Hội đồng nhân dân tỉnh quyết định (căn cứ quy định tại Thông tư số 85/2019/TT-BTC). - "
        "Người nộp hồ sơ đăng ký hộ kinh doanh nộp lệ phí đăng ký hộ kinh doanh tại thời điểm nộp hồ sơ "
        "đăng ký hộ kinh doanh. Lệ phí đăng ký hộ kinh doanh có thể nộp trực tiếp tại bộ phận tiếp nhận "
        "hồ sơ đăng ký hộ kinh doanh ở cấp xã hoặc chuyển vào tài khoản của cơ quan đăng ký kinh doanh "
        "cấp xã hoặc sử dụng dịch vụ thanh toán trực tuyến trên Cổng dịch vụ công quốc gia. Lệ phí đăng "
        "ký hộ kinh doanh không được hoàn trả cho hộ kinh doanh trong trường hợp hộ kinh doanh không "
        "được cấp đăng ký hộ kinh doanh. - Lệ phí đăng ký kinh doanh không bao gồm tiền sử dụng dịch vụ "
        "thanh toán điện tử.)"
    ),
    "thanh_phan_ho_so": (
        "Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo một trong những giấy tờ sau: Tên "
        "giấy tờMẫu đơn, tờ khaiSố lượng(iv) Trường hợp ủy quyền cho đơn vị cung cấp dịch vụ bưu chính "
        "không phải là bưu chính công ích thực hiện thủ tục đăng ký hộ kinh doanh thì việc ủy quyền thực "
        "hiện theo quy định tại mục (ii).0 bản chính,1 bản sao(v) Người ủy quyền và người được ủy quyền "
        "thực hiện thủ tục đăng ký hộ kinh doanh chịu trách nhiệm trước pháp luật về tính hợp pháp, "
        "trung thực và chính xác của việc ủy quyền. Người uỷ quyền và người được ủy quyền phải thực hiện "
        "xác thực điện tử để được cấp đăng ký hộ kinh doanh. Trường hợp việc xác thực điện tử bị gián "
        "đoạn thì người ủy quyền thực hiện việc xác thực điện tử sau khi được cấp đăng ký hộ kinh doanh. "
        "Trường hợp người ủy quyền không xác nhận hoặc xác nhận không ủy quyền thực hiện thủ tục đăng ký "
        "hộ kinh doanh thì Cơ quan đăng ký kinh doanh cấp xã yêu cầu hộ kinh doanh báo cáo theo quy định "
        "tại khoản 6 Điều 22 Nghị định số 168/2025/NĐ-CP.0 bản chính,1 bản sao(ii) Trường hợp ủy quyền "
        "cho tổ chức thực hiện thủ tục đăng ký hộ kinh doanh, kèm theo hồ sơ đăng ký hộ kinh doanh phải "
        "có bản sao hợp đồng cung cấp dịch vụ với tổ chức làm dịch vụ thực hiện thủ tục liên quan đến "
        "đăng ký hộ kinh doanh, giấy giới thiệu của tổ chức đó cho cá nhân trực tiếp thực hiện thủ tục "
        "liên quan đến đăng ký hộ kinh doanh.0 bản chính,1 bản sao(iii) Trường hợp ủy quyền cho đơn vị "
        "cung cấp dịch vụ bưu chính công ích thực hiện thủ tục đăng ký hộ kinh doanh thì khi thực hiện "
        "thủ tục đăng ký hộ kinh doanh, nhân viên bưu chính phải nộp bản sao phiếu gửi hồ sơ theo mẫu do "
        "doanh nghiệp cung ứng dịch vụ bưu chính công ích phát hành có chữ ký xác nhận của nhân viên bưu "
        "chính và chủ hộ kinh doanh.0 bản chính,1 bản sao(i) Trường hợp ủy quyền cho cá nhân thực hiện "
        "thủ tục đăng ký hộ kinh doanh, kèm theo hồ sơ đăng ký hộ kinh doanh phải có văn bản ủy quyền "
        "cho cá nhân thực hiện thủ tục liên quan đến đăng ký hộ kinh doanh. Văn bản ủy quyền này không "
        "bắt buộc phải công chứng, chứng thực.0 bản chính,1 bản saoTrường hợp chưa có tài khoản định "
        "danh điện tử để thực hiện xác thực điện tử thì hồ sơ đăng ký hộ kinh doanh phải kèm theo bản "
        "sao thẻ Căn cước hoặc thẻ Căn cước công dân còn hiệu lực của người uỷ quyền.0 bản chính,1 bản "
        "sao--Tên giấy tờMẫu đơn, tờ khaiSố lượng- Giấy đề nghị đăng ký hộ kinh doanh;1 bản chính- Bản "
        "sao văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh đối "
        "với trường hợp hộ kinh doanh do các thành viên hộ gia đình đăng ký thành lập. Văn bản ủy quyền "
        "này phải được công chứng hoặc chứng thực theo quy định của pháp luật.0 bản chính,1 bản sao"
    ),
    "can_cu_phap_ly": (
        "Tên văn bản pháp lýMã văn bảnLuật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp "
        "202076/2025/QH15Thông tư số 68/2025/TT-BTC của Bộ Tài chính: Ban hành biểu mẫu sử dụng trong "
        "đăng ký doanh nghiệp, đăng ký hộ kinh doanh68/2025/TT-BTCNghị định số 168/2025/NĐ-CP ngày 30 "
        "tháng 6 năm 2025 của Chính phủ về đăng ký doanh nghiệp168/2025/NĐ-CPThông tư Hướng dẫn về phí "
        "và lệ phí thuộc thẩm quyền quyết định của Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung "
        "ương85/2019/TT-BTCLuật Doanh nghiệp59/2020/QH14"
    ),
    "ket_qua_xu_ly": (
        "Thông báo bằng văn bản nội dung cần sửa đổi, bổ sung của Cơ quan đăng ký kinh doanh cấp xãMã: "
        "KQ.G12.001009Giấy chứng nhận đăng ký  hộ kinh doanhMã: KQ.G12.001041Từ khóaKhông có thông tinMô "
        "tảKhông có thông tinChọn cơ quan thực hiệnTỉnh/ Thành phốBộ ngành-- Chọn Bộ ngành --Đơn vị-- "
        "Chọn Cơ sở --Nộp hồ sơ"
    ),
}

KHIEU_NAI_CAND = {
    "ma_thu_tuc": "1.000178",
    "ten_thu_tuc": (
        "Giải quyết khiếu nại về quyết định hành chính, hành vi hành chính của công dân đối với lực "
        "lượng Công an nhân dân (thực hiện tại cấp Trung ương)"
    ),
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảDịch vụ bưu chính60 Ngày làm việcKhông có thông tinThời "
        "hạn giải quyết khiếu nại lần đầu không quá 30 ngày, kể từ ngày thụ lý để giải quyết; đối với vụ "
        "việc phức tạp thì thời hạn giải quyết có thể kéo dài hơn nhưng không quá 45 ngày, kể từ ngày "
        "thụ lý để giải quyết. Ở vùng sâu, vùng xa đi lại khó khăn, thì thời hạn giải quyết khiếu nại "
        "lần đầu không quá 45 ngày, kể từ ngày thụ lý để giải quyết; đối với vụ việc phức tạp thì thời "
        "hạn giải quyết có thể kéo dài hơn nhưng không quá 60 ngày, kể từ ngày thụ lý để giải quyết.Trực "
        "tiếp60 Ngày làm việcKhông có thông tinThời hạn giải quyết khiếu nại lần đầu không quá 30 ngày, "
        "kể từ ngày thụ lý để giải quyết; đối với vụ việc phức tạp thì thời hạn giải quyết có thể kéo "
        "dài hơn nhưng không quá 45 ngày, kể từ ngày thụ lý để giải quyết. Ở vùng sâu, vùng xa đi lại "
        "khó khăn, thì thời hạn giải quyết khiếu nại lần đầu không quá 45 ngày, kể từ ngày thụ lý để "
        "giải quyết; đối với vụ việc phức tạp thì thời hạn giải quyết có thể kéo dài hơn nhưng không quá "
        "60 ngày, kể từ ngày thụ lý để giải quyết."
    ),
    "thanh_phan_ho_so": (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngTài liệu, chứng cứ do các bên cung cấp1 bản chínhQuyết "
        "định giải quyết khiếu nại1 bản chínhBáo cáo kết quả xác minh nội dung khiếu nại1 bản chínhThông "
        "báo thụ lý khiếu nại1 bản chínhCác tài liệu khác có liên quan1 bản chínhBiên bản tổ chức đối "
        "thoại (nếu có)1 bản chínhBiên bản kiểm tra, xác minh, kết luận, kết quả giám định (nếu có)1 bản "
        "chínhĐơn khiếu nại hoặc bản ghi nội dung khiếu nại1 bản chính"
    ),
    "can_cu_phap_ly": (
        "Tên văn bản pháp lýMã văn bảnHướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu "
        "nại và quản lý công tác giải quyết khiếu nại trong công an nhân dân68/2013/TT-BCALuật Khiếu nại "
        " năm 201102/2011/QH13Quy định quy trình giải quyết khiếu nại trong công an nhân "
        "dân11/2015/TT-BCANghị định 05/2012/NĐ-CP05/2012/NĐ-CP"
    ),
    "ket_qua_xu_ly": (
        "Quyết định giải quyết khiếu nại lần 1, lần 2Mã: KQ.G01.00262Từ khóaKhông có thông tinMô tảKhông "
        "có thông tin"
    ),
}

CHI_NHANH_LUAT_SU = {
    "ma_thu_tuc": "1.002099",
    "ten_thu_tuc": "Đăng ký hoạt động của chi nhánh của tổ chức hành nghề luật sư",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày50,000 Việt Nam Đồng(áp dụng mức phí "
        "25.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số "
        "64/2025/TT-BTC)Hồ sơ được gửi trực tiếp, qua hệ thống bưu chính hoặc trực tuyến trên Cổng Dịch "
        "vụ công quốc gia (đủ điều kiện thực hiện dịch vụ công trực tuyến toàn trình).Trực tuyến7 "
        "Ngày50,000 Việt Nam Đồng(áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày "
        "31/12/2026 theo Thông tư số 64/2025/TT-BTC)Hồ sơ được gửi trực tiếp, qua hệ thống bưu chính "
        "hoặc trực tuyến trên Cổng Dịch vụ công quốc gia (đủ điều kiện thực hiện dịch vụ công trực tuyến "
        "toàn trình).Dịch vụ bưu chính7 Ngày50,000 Việt Nam Đồng(áp dụng mức phí 25.000 đồng/hồ sơ kể từ "
        "ngày 01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC)Hồ sơ được gửi trực "
        "tiếp, qua hệ thống bưu chính hoặc trực tuyến trên Cổng Dịch vụ công quốc gia (đủ điều kiện thực "
        "hiện dịch vụ công trực tuyến toàn trình)."
    ),
    "thanh_phan_ho_so": (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượngBản sao Giấy đăng ký hoạt động của tổ chức hành nghề luật "
        "sư thành lập chi nhánh0 bản chính,1 bản saoQuyết định thành lập chi nhánh1 bản chínhGiấy tờ "
        "chứng minh về trụ sở của chi nhánh1 bản chínhGiấy đề nghị đăng ký hoạt động của chi nhánh1 bản "
        "chính"
    ),
}

THU_HOI_DANG_KY_XE = {
    "ma_thu_tuc": "1.013065",
    "ten_thu_tuc": "Thu hồi chứng nhận đăng ký xe,  biển số xe thực hiện bằng dịch vụ công toàn trình",
    "cach_thuc_thuc_hien": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến8 GiờMiễn phí- Cách thức thực hiện: + Chủ xe "
        "thực hiện kê khai đăng ký xe trên Cổng dịch vụ công hoặc Ứng dụng định danh quốc gia. Cơ quan "
        "đăng ký xe tiếp nhận hồ sơ trong giờ làm việc. + Trả kết quả qua dịch vụ bưu chính. - Thời hạn "
        "giải quyết: + Không quá 8 giờ làm việc, kể từ khi nhận đủ hồ sơ hợp lệ. + Trong trường hợp bị "
        "mất chứng nhận đăng ký xe, biển số xe: Phải tiến hành xác minh trong thời hạn 30 ngày, kể từ "
        "ngày nhận đủ hồ sơ hợp lệ; sau khi xác minh, nếu đủ điều kiện thì cấp chứng nhận thu hồi đăng "
        "ký xe, biển số xe trong thời hạn 02 ngày làm việc;"
    ),
}

BQP_GIAY_CHUNG_NHAN_THUONG_BINH = {
    "thu_tuc_id": "1.013186",
    "metadata": {
        "mã_thủ_tục": "1.013186",
        "tên_thủ_tục": "Thủ tục cấp lại giấy chứng nhận thương binh đối với thương binh đang tại ngũ, công tác",
        "số_quyết_định": "Quyết định số 5132/QĐ-BQP",
        "cấp_thực_hiện": "Cấp Bộ"
    },
    "content": {
        "kết_quả_thực_hiện": "Giấy chứng nhận thương binh"
    },
    "tables": {
        "hinh_thuc_nop": [
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "20 Ngày",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "20 ngày, kể từ ngày nhận được đơn đề nghị (thời gian cụ thể quy định tại từng bước của quy trình thực hiện)"
            },
            {
                "hinh_thuc": "Dịch vụ bưu chính",
                "thoi_han_giai_quyet": "20 Ngày",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "20 ngày, kể từ ngày nhận được đơn đề nghị (thời gian cụ thể quy định tại từng bước của quy trình thực hiện)"
            }
        ],
        "thanh_phan_ho_so": [
            {
                "ten_giay_to": "Đơn đề nghị cấp bổ sung hoặc cấp lại giấy chứng nhận người có công/thân nhân liệt sĩ (Mẫu số 25 Phụ lục I Nghị định số 131/2021/NĐ-CP)",
                "so_luong": "9. MẪU SỐ 25.docx",
                "ghi_chu": "Bản chính: 1\nBản sao: 0"
            },
            {
                "ten_giay_to": "Văn bản đề nghị của cơ quan, đơn vị cấp trung đoàn và tương đương trở lên",
                "so_luong": "",
                "ghi_chu": "Bản chính: 1\nBản sao: 0"
            },
            {
                "ten_giay_to": "Văn bản đề nghị của cơ quan chính trị đơn vị trực thuộc Bộ (trường hợp đối tượng thuộc thẩm quyền giải quyết của Cục trưởng Cục Chính sách).",
                "so_luong": "",
                "ghi_chu": "Bản chính: 1\nBản sao: 0"
            }
        ],
        "can_cu_phap_ly": [
            {
                "so_ky_hieu": "131/2021/NĐ-CP",
                "trich_yeu": "Nghị định 131/2021/NĐ-CP",
                "ngay_ban_hanh": "30-12-2021"
            },
            {
                "so_ky_hieu": "55/2022/TT-BQP",
                "trich_yeu": "Thông tư 55/2022/TT-BQP",
                "ngay_ban_hanh": "27-07-2022"
            },
            {
                "so_ky_hieu": "02/2020/UBTVQH14",
                "trich_yeu": "Pháp lệnh 02/2020/UBTVQH14",
                "ngay_ban_hanh": "09-12-2020"
            },
            {
                "so_ky_hieu": "103/2025/TT-BQP",
                "trich_yeu": "Thông tư số 103/2025/TT-BQP ngày 26/9/2025 của Bộ trưởng Bộ Quốc phòng sửa đổi, bổ sung một số điều của các Thông tư liên tịch, Thông tư, Quyết định của Bộ trưởng Bộ Quốc phòng về lĩnh vực chính sách",
                "ngay_ban_hanh": "26-09-2025"
            }
        ]
    }
}

BQP_DI_BO_THUYEN_VIEN = {
    "thu_tuc_id": "1.013562",
    "metadata": {
        "mã_thủ_tục": "1.013562",
        "tên_thủ_tục": "Thủ tục cấp Giấy phép đi bờ cho thuyền viên nước ngoài đi bờ",
        "số_quyết_định": "Quyết định số 6225/QĐ-BQP",
        "cấp_thực_hiện": "Cấp Xã"
    },
    "content": {
        "kết_quả_thực_hiện": "Giấy phép đi bờ của thuyền viên do Biên phòng cửa khẩu cảng cấp"
    },
    "tables": {
        "hinh_thuc_nop": [
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "0 Giờ",
                "phi_le_phi": "Lệ phí : 03 USD (Lệ phí: 03 USD/Giấy phép (trừ trường hợp được miễn lệ phí theo quy định của Bộ Tài chính))",
                "mo_ta": "Ngay sau khi Biên phòng cửa khẩu cảng tiếp nhận đề nghị cho phép thuyền viên đi bờ."
            }
        ],
        "thanh_phan_ho_so": [
            {
                "ten_giay_to": "Đơn đề nghị đi bờ của thuyền viên (trường hợp chưa đăng ký tại Bản khai chung).",
                "so_luong": "",
                "ghi_chu": "Bản chính: 1\nBản sao: 1"
            }
        ],
        "can_cu_phap_ly": [
            {
                "so_ky_hieu": "77/2017/NĐ-CP",
                "trich_yeu": "Nghị định 77/2017/NĐ-CP",
                "ngay_ban_hanh": "03-07-2017"
            },
            {
                "so_ky_hieu": "138/2016/TT-BTC",
                "trich_yeu": "Thông tư 138/2016/TT-BTC",
                "ngay_ban_hanh": "16-09-2016"
            }
        ]
    }
}

BQP_KHANG_CHIEN_CHONG_MY = {
    "thu_tuc_id": "1.013144",
    "metadata": {
        "mã_thủ_tục": "1.013144",
        "tên_thủ_tục": "Thủ tục thực hiện chế độ trợ cấp một lần đối với quân nhân, công nhân viên chức quốc phòng, trực tiếp tham gia kháng chiến chống Mỹ cứu nước nhưng chưa được hưởng chế độ, chính sách của Đảng và Nhà nước",
        "số_quyết_định": "Quyết định số 5132/QĐ-BQP",
        "cấp_thực_hiện": "Cấp Bộ, Cấp Tỉnh, Cấp Xã"
    },
    "content": {
        "kết_quả_thực_hiện": "Quyết định hành chính"
    },
    "tables": {
        "hinh_thuc_nop": [
            {
                "hinh_thuc": "Trực tiếp",
                "thoi_han_giai_quyet": "Không quy định",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "Không quy định thời hạn giải quyết"
            },
            {
                "hinh_thuc": "Trực tuyến",
                "thoi_han_giai_quyet": "Không quy định",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "Không quy định thời hạn giải quyết"
            },
            {
                "hinh_thuc": "Dịch vụ bưu chính",
                "thoi_han_giai_quyet": "Không quy định",
                "phi_le_phi": "Phí : 0 Đồng",
                "mo_ta": "Không quy định thời hạn giải quyết"
            }
        ],
        "thanh_phan_ho_so": [
            {
                "ten_giay_to": "-\tBản khai cá nhân hoặc của thân nhân; Bản khai thân nhân (đối với đối tượng đã từ trần) phải kèm theo giấy uỷ quyền của các thân nhân chủ yếu khác, có xác nhận của chính quyền xã nơi cư trú;",
                "so_luong": "MU1A.docx\nMU1B.docx\nMu4-phlc11.docx",
                "ghi_chu": "Bản chính: 1\nBản sao: 0"
            },
            {
                "ten_giay_to": "-\tBản sao một trong các giấy tờ gốc hoặc các giấy tờ có liên quan như: Lý lịch Đảng viên hoặc lý lịch cán bộ, bản trích 63, lý lịch quân nhân, Quyết định nhập ngũ, tuyển dụng, bổ nhiệm, phong, thăng quân hàm; điều động; giao nhiệm vụ; huân huy chương kháng chiến và các hình thức khen thưởng khác; Phiếu chuyển thương, chuyển viện, phiếu sức khoẻ; hồ sơ hưởng chế độ người có công, các giấy tờ chứng nhận có liên quan khác, có công chứng Nhà nước hoặc chứng thực của UBND xã (phường) nơi cư trú;",
                "so_luong": "",
                "ghi_chu": "Bản chính: 0\nBản sao: 1"
            }
        ],
        "can_cu_phap_ly": [
            {
                "so_ky_hieu": "191/2005/TTLT/BQP-BLĐTBXH-BTC",
                "trich_yeu": "Hướng dẫn thực hiện Quyết định số 290/2005/QĐ-TTg ngày 08/11/2005 về chế độ, chính sách đối với một số đối tượng trực tiếp tham gia kháng chiến chống mỹ cứu nước nhưng chưa được hưởng chính sách của Đảng và Nhà nước",
                "ngay_ban_hanh": "07-12-2005",
                "co_quan_ban_hanh": "Bộ Quốc phòng"
            },
            {
                "so_ky_hieu": "Thông tư số 104/2024/TT-BQP",
                "trich_yeu": "Thông tư thay thế, bãi bỏ một số quy định, mẫu biểu tại các một số quy định, mẫu biểu tại các Thông tư liên tịch của Bộ Quốc phòng, Bộ Lao động - Thương binh và Xã hội, Bộ Tài chính liên quan đến việc kê khai thông tin cá nhân khi thực hiện thủ tục hành chính",
                "ngay_ban_hanh": "27-11-2024",
                "co_quan_ban_hanh": "Bộ trưởng Bộ Quốc phòng"
            },
            {
                "so_ky_hieu": "290/2005/QĐ-TTg",
                "trich_yeu": "Quyết định số 290/2005/QĐ-TTg của Thủ tướng Chính phủ về chế độ, chính sách đối với một số đối tượng trực tiếp tham gia kháng chiến chống Mỹ cứu nước nhưng chưa được hưởng chính sách của Đảng và Nhà nước",
                "ngay_ban_hanh": "08-11-2005",
                "co_quan_ban_hanh": "Thủ tướng Chính phủ"
            },
            {
                "so_ky_hieu": "22/2025/QĐ-TTg",
                "trich_yeu": "Quyết định số 22/2025/QĐ-TTg của Thủ tướng Chính phủ: Sửa đổi, bổ sung một số điều của các Quyết định của Thủ tướng Chính phủ về chế độ, chính sách đối với đối tượng tham gia kháng chiến, chiến tranh bảo vệ Tổ quốc và làm nhiệm vụ quốc tế thuộc lĩnh vực quản lý nhà nước của Bộ Quốc phòng",
                "ngay_ban_hanh": "10-07-2025",
                "co_quan_ban_hanh": "Thủ tướng Chính phủ"
            },
            {
                "so_ky_hieu": "103/2025/TT-BQP",
                "trich_yeu": "Thông tư số 103/2025/TT-BQP ngày 26/9/2025 của Bộ trưởng Bộ Quốc phòng sửa đổi, bổ sung một số điều của các Thông tư liên tịch, Thông tư, Quyết định của Bộ trưởng Bộ Quốc phòng về lĩnh vực chính sách",
                "ngay_ban_hanh": "26-09-2025"
            }
        ]
    }
}


def nfd(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    return {key: nfd(item) for key, item in value.items()}


FREE = FeeRecord(kind="other", amount=0, text="Miễn phí")


def test_khai_sinh_channels_show_the_bare_time_limit_the_portal_publishes():
    record = parse_portal_record(KHAI_SINH)

    # The national database has no unit for this time limit: the value is kept, the unit is not guessed.
    assert record.channels == [
        ChannelRecord(kind=kind, time_limit_value=Decimal(1), time_limit_unit="", time_limit_text="1", fees=[FREE])
        for kind in ("online", "postal", "in_person")
    ]
    assert record.online_service == "partial"
    assert record.results == [{"name": "Giấy khai sinh", "code": "KQ.G15.000031"}]
    assert record.unparsed == {}


def test_khai_sinh_legal_basis_splits_every_title_from_its_number():
    record = parse_portal_record(KHAI_SINH)

    assert [basis.number for basis in record.legal_basis] == [
        "85/2019/TT-BTC", "104/2022/NĐ-CP", "123/2015/NĐ-CP", "08/2025/TT-BTP", "18/2026/NĐ-CP", "87/2020/NĐ-CP",
        "04/2024/TT-BTP", "03/2023/TT-BTP", "106/2021/TT-BTC", "04/2020/TT-BTP", "07/2025/NĐ-CP", "120/2025/NĐ-CP",
        "66.7/2025/NQ-CP", "60/2014/QH13", "01/2022/TT-BTP",
    ]
    by_number = {basis.number: basis for basis in record.legal_basis}
    assert by_number["123/2015/NĐ-CP"] == LegalBasisRecord(
        number="123/2015/NĐ-CP",
        title="Nghị định số 123/2015/NĐ-CP ngày 15/11/2015 của Chính phủ quy định chi tiết một số điều và "
              "biện pháp thi hành Luật Hộ tịch",
        issued_on=date(2015, 11, 15), issuer="Chính phủ",
    )
    # "Luật 60/2014/QH1360/2014/QH13": the title repeats the number that follows it.
    assert by_number["60/2014/QH13"] == LegalBasisRecord("60/2014/QH13", "Luật 60/2014/QH13", None, "Quốc hội")
    # The number cell "Thông tư số 03/2023/TT-BTP" does not leave "Thông tư số" on the title before it.
    assert by_number["03/2023/TT-BTP"] == LegalBasisRecord(
        "03/2023/TT-BTP", "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp",
        date(2023, 8, 2), "Bộ Tư pháp",
    )
    assert by_number["85/2019/TT-BTC"].issuer == "Bộ Tài chính"
    assert by_number["85/2019/TT-BTC"].issued_on is None  # the title gives no date


def test_portal_record_in_nfd_parses_like_its_nfc_spelling():
    source = nfd(KHAI_SINH)

    record = parse_portal_record(source)

    expected = parse_portal_record(KHAI_SINH)
    assert record.channels == expected.channels
    assert record.legal_basis == expected.legal_basis
    assert record.results == expected.results
    assert record.name == "Thủ tục đăng ký khai sinh"
    assert record.raw is source  # the source record is kept as published


def test_ket_hon_keeps_the_fee_note_with_the_free_fee():
    record = parse_portal_record(KET_HON)

    online, postal, in_person = record.channels
    assert (online.kind, postal.kind, in_person.kind) == ("online", "postal", "in_person")
    assert online.fees == [FeeRecord(
        kind="other", amount=0,
        text="Miễn phí (Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu) thực hiện theo quy "
             "định tại Thông tư số 281/2016/TT-BTC ngày 14/11/2016 của Bộ Tài chính.)",
    )]
    assert postal.fees[0].text.startswith("Miễn phí ((Miễn lệ phí.")  # the source doubles the brackets here
    assert all(channel.description == "" for channel in record.channels)
    assert record.results == [{"name": "Giấy chứng nhận kết hôn", "code": "KQ.G15.000032"}]


def test_thuong_tru_has_a_different_fee_online_and_in_person():
    record = parse_portal_record(THUONG_TRU)

    online, in_person = record.channels
    assert online == ChannelRecord(
        kind="online", time_limit_value=Decimal(7), time_limit_unit="working_day", time_limit_text="7 Ngày làm việc",
        fees=[FeeRecord(
            kind="other", amount=10000,
            text="10,000 Việt Nam Đồng (Trường hợp công dân nộp hồ sơ qua cổng dịch vụ công trực tuyến thu "
                 "10.000 đồng/lần đăng ký.)",
        )],
    )
    assert (in_person.kind, in_person.time_limit_value, in_person.time_limit_unit) == ("in_person", 7, "working_day")
    assert (in_person.fees[0].kind, in_person.fees[0].amount) == ("fee", 20000)
    assert record.results == [
        {"name": "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư", "code": "KQ.G01.000064"},
        {"name": "Thông báo kết quả giải quyết thủ tục về cư trú, hủy bỏ thủ tục về cư trú", "code": "KQ.G01.000065"},
        {"name": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (lĩnh vực cư trú)", "code": "KQ.G01.000067"},
        {"name": "Cập nhật thông tin trong Cơ sở dữ liệu về cư trú", "code": "KQ.G01.000066"},
    ]


def test_ly_lich_tu_phap_components_and_conditions():
    record = parse_portal_record(LY_LICH_TU_PHAP)

    assert [(c.kind, c.time_limit_value, c.time_limit_unit) for c in record.channels] == [
        ("online", 10, "day"), ("postal", 10, "day"), ("in_person", 10, "day"),
    ]
    assert record.channels[0].fees[0].kind == "charge"  # the note speaks of "phí cung cấp thông tin"
    assert record.channels[0].fees[0].amount == 0
    assert len(record.components) == 7
    assert record.components[4] == ComponentRecord(
        name="Các giấy tờ để chứng minh đối tượng miễn, hoặc giảm phí (nếu có).",
        originals=1, copies=0, quantity_text="1 bản chính", required=False, condition="nếu có",
    )
    authorised = record.components[0]
    assert authorised.name.startswith("Tờ khai yêu cầu cấp Phiếu Lý lịch tư pháp (Dùng cho cá nhân trong trường hợp ủy quyền")
    assert not authorised.required
    assert authorised.condition.startswith("trong trường hợp ủy quyền yêu cầu cấp Phiếu Lý lịch tư pháp số 1")
    # "…(Xuất trình bản chính để đối chiếu. Trường hợp không có bản chính thì…)" is an alternative, not a condition.
    assert record.components[2].required
    assert record.legal_basis == [LegalBasisRecord("28/2009/QH12", "Luật 28/2009/QH12", None, "Quốc hội")]
    assert record.results == [
        {"name": "Phiếu Lý lịch tư pháp số 2 (Cấp tỉnh)", "code": "KQ.G01.000199"},
        {"name": "Phiếu Lý lịch tư pháp số 1 (Cấp tỉnh)", "code": "KQ.G01.000200"},
    ]


def test_ho_kinh_doanh_groups_components_by_case_and_reads_fees_without_a_time_limit():
    record = parse_portal_record(HO_KINH_DOANH)

    online, postal, in_person = record.channels
    assert online.time_limit_value is None and online.time_limit_text == ""  # "Không có thông tin"
    assert (online.fees[0].kind, online.fees[0].amount) == ("fee", 150000)
    assert (in_person.fees[0].amount, in_person.fees[0].text[:10]) == (50000, "50,000 VNĐ")

    case = "Trường hợp ủy quyền thực hiện thủ tục thì hồ sơ phải kèm theo một trong những giấy tờ sau"
    assert [c.case for c in record.components] == [case] * 6 + ["", ""]
    assert record.components[6] == ComponentRecord(
        name="- Giấy đề nghị đăng ký hộ kinh doanh;", originals=1, copies=0, quantity_text="1 bản chính",
    )
    assert (record.components[7].originals, record.components[7].copies) == (0, 1)
    # "Luật … Doanh nghiệp 202076/2025/QH15": the title's year runs into the number cell.
    assert record.legal_basis[0] == LegalBasisRecord(
        "76/2025/QH15", "Luật sửa đổi, bổ sung một số điều của Luật Doanh nghiệp 2020", None, "Quốc hội",
    )
    assert record.legal_basis[2].issued_on == date(2025, 6, 30)  # "ngày 30 tháng 6 năm 2025"
    assert record.results[1] == {"name": "Giấy chứng nhận đăng ký hộ kinh doanh", "code": "KQ.G12.001041"}


def test_khieu_nai_cand_has_no_online_channel_and_no_stated_fee():
    record = parse_portal_record(KHIEU_NAI_CAND)

    assert [c.kind for c in record.channels] == ["postal", "in_person"]
    assert record.online_service == "none"
    for channel in record.channels:
        assert (channel.time_limit_value, channel.time_limit_unit) == (60, "working_day")
        assert channel.fees == []  # "Không có thông tin": no fee is stated
        assert channel.description.startswith("Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày")
    assert [(b.number, b.title, b.issuer) for b in record.legal_basis] == [
        ("68/2013/TT-BCA", "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công "
                           "tác giải quyết khiếu nại trong công an nhân dân", "Bộ Công an"),
        ("02/2011/QH13", "Luật Khiếu nại năm 2011", "Quốc hội"),
        ("11/2015/TT-BCA", "Quy định quy trình giải quyết khiếu nại trong công an nhân dân", "Bộ Công an"),
        ("05/2012/NĐ-CP", "Nghị định 05/2012/NĐ-CP", "Chính phủ"),
    ]
    assert [(c.name, c.required) for c in record.components] == [
        ("Tài liệu, chứng cứ do các bên cung cấp", True),
        ("Quyết định giải quyết khiếu nại", True),
        ("Báo cáo kết quả xác minh nội dung khiếu nại", True),
        ("Thông báo thụ lý khiếu nại", True),
        ("Các tài liệu khác có liên quan", True),
        ("Biên bản tổ chức đối thoại (nếu có)", False),
        ("Biên bản kiểm tra, xác minh, kết luận, kết quả giám định (nếu có)", False),
        ("Đơn khiếu nại hoặc bản ghi nội dung khiếu nại", True),
    ]
    assert record.results == [{"name": "Quyết định giải quyết khiếu nại lần 1, lần 2", "code": "KQ.G01.00262"}]


def test_chi_nhanh_luat_su_is_a_full_online_service_as_its_description_says():
    record = parse_portal_record(CHI_NHANH_LUAT_SU)

    assert record.online_service == "full"
    assert [(c.kind, c.time_limit_value, c.time_limit_unit) for c in record.channels] == [
        ("in_person", 5, "day"), ("online", 7, "day"), ("postal", 7, "day"),
    ]
    assert (record.channels[0].fees[0].kind, record.channels[0].fees[0].amount) == ("charge", 50000)
    assert [(c.name, c.originals, c.copies) for c in record.components] == [
        ("Bản sao Giấy đăng ký hoạt động của tổ chức hành nghề luật sư thành lập chi nhánh", 0, 1),
        ("Quyết định thành lập chi nhánh", 1, 0),
        ("Giấy tờ chứng minh về trụ sở của chi nhánh", 1, 0),
        ("Giấy đề nghị đăng ký hoạt động của chi nhánh", 1, 0),
    ]


def test_thu_hoi_dang_ky_xe_is_full_online_by_its_name():
    record = parse_portal_record(THU_HOI_DANG_KY_XE)

    assert record.online_service == "full"
    (online,) = record.channels
    assert (online.kind, online.time_limit_value, online.time_limit_unit, online.fees) == ("online", 8, "hour", [FREE])
    assert online.description.startswith("- Cách thức thực hiện: + Chủ xe thực hiện kê khai đăng ký xe")


def test_bqp_form_file_names_and_counts_come_from_their_own_columns():
    record = parse_bqp_record(BQP_GIAY_CHUNG_NHAN_THUONG_BINH)

    assert record.decision_number == "5132/QĐ-BQP"
    assert record.components[0] == ComponentRecord(
        name="Đơn đề nghị cấp bổ sung hoặc cấp lại giấy chứng nhận người có công/thân nhân liệt sĩ (Mẫu số 25 "
             "Phụ lục I Nghị định số 131/2021/NĐ-CP)",
        originals=1, copies=0, quantity_text="Bản chính: 1\nBản sao: 0", form_template="MẪU SỐ 25.docx",
    )
    assert not record.components[2].required
    assert record.components[2].condition == "trường hợp đối tượng thuộc thẩm quyền giải quyết của Cục trưởng Cục Chính sách"
    assert record.channels == [
        ChannelRecord(
            kind=kind, time_limit_value=Decimal(20), time_limit_unit="day", time_limit_text="20 Ngày",
            fees=[FeeRecord(kind="charge", amount=0, text="Phí : 0 Đồng")],
            description="20 ngày, kể từ ngày nhận được đơn đề nghị (thời gian cụ thể quy định tại từng bước của "
                        "quy trình thực hiện)",
        )
        for kind in ("in_person", "postal")
    ]
    assert record.legal_basis[:3] == [
        LegalBasisRecord("131/2021/NĐ-CP", "Nghị định 131/2021/NĐ-CP", date(2021, 12, 30), "Chính phủ"),
        LegalBasisRecord("55/2022/TT-BQP", "Thông tư 55/2022/TT-BQP", date(2022, 7, 27), "Bộ Quốc phòng"),
        LegalBasisRecord("02/2020/UBTVQH14", "Pháp lệnh 02/2020/UBTVQH14", date(2020, 12, 9), "Ủy ban Thường vụ Quốc hội"),
    ]
    assert record.results == [{"name": "Giấy chứng nhận thương binh", "code": ""}]
    assert record.online_service == "none"
    assert record.unparsed == {}


def test_bqp_fee_in_dollars_has_no_amount_in_dong():
    record = parse_bqp_record(BQP_DI_BO_THUYEN_VIEN)

    (channel,) = record.channels
    assert channel.fees == [FeeRecord(
        kind="fee", amount=None,
        text="Lệ phí : 03 USD (Lệ phí: 03 USD/Giấy phép (trừ trường hợp được miễn lệ phí theo quy định của Bộ Tài chính))",
    )]
    assert (channel.time_limit_value, channel.time_limit_unit) == (0, "hour")
    assert record.components[0].condition == "trường hợp chưa đăng ký tại Bản khai chung"


def test_bqp_several_forms_numbers_with_their_type_and_no_time_limit():
    record = parse_bqp_record(BQP_KHANG_CHIEN_CHONG_MY)

    assert [(c.kind, c.time_limit_value, c.time_limit_text) for c in record.channels] == [
        ("in_person", None, "Không quy định"), ("online", None, "Không quy định"), ("postal", None, "Không quy định"),
    ]
    assert record.online_service == "partial"
    first = record.components[0]
    assert first.form_template == "MU1A.docx; MU1B.docx; Mu4-phlc11.docx"
    assert first.name.startswith("Bản khai cá nhân hoặc của thân nhân;")  # the "-\t" bullet is dropped
    assert (record.components[1].originals, record.components[1].copies) == (0, 1)
    assert [(b.number, b.issuer) for b in record.legal_basis] == [
        ("191/2005/TTLT/BQP-BLĐTBXH-BTC", "Bộ Quốc phòng"),
        ("104/2024/TT-BQP", "Bộ trưởng Bộ Quốc phòng"),  # the source's own issuer, kept
        ("290/2005/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("22/2025/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("103/2025/TT-BQP", "Bộ Quốc phòng"),
    ]
