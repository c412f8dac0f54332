"""Write the demonstration score sheets (evaluation/data/sheets/**.yaml) and part_maxima.csv.

The sheets are DEMONSTRATION content modelled on the public OCOP criteria (one template per sector with
small variations per product set and per regulation); an administrator replaces them with the official
appendix of the decision by import (`python manage.py import_criteria FILE --replace`). The YAML files
are committed; run this script again only to change them:

    .venv/bin/python evaluation/data/generate_demo_sheets.py
"""
import csv
import os
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

KO = "knock-out"
KNOCK_OUT_LABEL = "Nguyên liệu nhập khẩu hoàn toàn hoặc không rõ nguồn gốc"
DEMO_NOTE = ("NỘI DUNG MINH HỌA – quản trị viên thay bằng phụ lục chính thức của quyết định "
             "bằng cách nhập tệp")

PART_TITLES = {"A": "Sản phẩm và sức mạnh cộng đồng", "B": "Khả năng tiếp thị", "C": "Chất lượng sản phẩm"}
# Regulation code → (folder, maxima of A, B, C). 1489/QĐ-TTg changed the procedure, not the sheet.
REGULATIONS = {
    "1048/QĐ-TTg": ("1048-QD-TTg", (35, 25, 40)),
    "148/QĐ-TTg": ("148-QD-TTg", (40, 25, 35)),
    "1489/QĐ-TTg": ("1489-QD-TTg", (40, 25, 35)),
    "26/2026/QĐ-TTg": ("26-2026-QD-TTg", (40, 25, 35)),
}
DEMO_REGULATIONS = ["148/QĐ-TTg", "26/2026/QĐ-TTg"]

# Product set → (sector template, raw material, what the senses judge, product set name).
DEMO_SETS = {
    3: ("food", "thóc, ngũ cốc, hạt", "màu sắc, độ đồng đều của hạt, mùi thơm và độ dẻo khi nấu",
        "Gạo, ngũ cốc, hạt sơ chế khác"),
    7: ("food", "rau, củ, quả, hạt", "màu sắc, mùi, vị và trạng thái của sản phẩm",
        "Chế biến từ rau, củ, quả, hạt"),
    9: ("food", "đậu tương, cá, ớt và các nguyên liệu chính khác", "màu sắc, mùi, vị và độ sánh",
        "Tương, nước mắm, gia vị dạng lỏng khác"),
    11: ("food", "chè búp tươi", "ngoại hình, màu nước, hương và vị của nước chè", "Chè tươi, chè chế biến"),
    12: ("food", "hoa, lá, thân, rễ thảo mộc", "ngoại hình, màu nước, hương và vị", "Sản phẩm trà từ thực vật khác"),
    18: ("herbal", "dược liệu", "dạng bào chế, màu sắc, mùi và vị",
         "Thực phẩm chức năng, thuốc dược liệu, thuốc cổ truyền"),
    20: ("herbal", "dược liệu, cây tinh dầu", "màu sắc, mùi hương và độ trong của tinh dầu",
         "Tinh dầu và dược liệu khác"),
    22: ("textile", "sợi bông, lanh, tơ tằm và nguyên liệu nhuộm", "hoa văn, màu sắc và bố cục", "Vải, may mặc"),
}


# The criteria the commune pre-assesses when it checks a dossier (1489/2025, 26/2026): local raw materials and
# local labour; the demo sheets have no criterion on the origin of the idea.
COMMUNE_CRITERIA = {"1.1", "3.2"}


def c(code, title, options, required=None):
    """A criterion; its maximum is its best answer."""
    best = max(points for _label, points, *_rest in options)
    return {"code": code, "title": title, "max": best, "required_for_star": required,
            "assessed_by_commune": code in COMMUNE_CRITERIA,
            "options": [{"label": label, "points": points, "knocks_out": bool(rest)}
                        for label, points, *rest in options]}


def raw_material(raw):
    return c("1.1", f"Nguồn nguyên liệu ({raw})", [
        (KNOCK_OUT_LABEL, 0, KO),
        ("Dưới 50% nguyên liệu có nguồn gốc trong tỉnh", 1),
        ("Từ 50% đến 75% nguyên liệu có nguồn gốc trong tỉnh", 2),
        ("Trên 75% nguyên liệu có nguồn gốc trong tỉnh", 3),
    ])


def production_common(new_rules):
    """Criteria 1.4, 1.5 and 1.7 every sector shares (1.5 is worth one point less under 26/2026, which
    moves that point to digital transformation, 2.3)."""
    linkage = [
        ("Không có liên kết", 0),
        ("Có liên kết nhưng không có hợp đồng", 1),
        ("Có hợp đồng liên kết với hộ, tổ hợp tác cung ứng nguyên liệu trong tỉnh", 2 if new_rules else 3),
        ("Có hợp đồng liên kết chuỗi giá trị từ vùng nguyên liệu đến tiêu thụ", 3 if new_rules else 4),
    ]
    environment_title = ("Bảo vệ môi trường, giảm phát thải và kinh tế tuần hoàn" if new_rules
                         else "Bảo vệ môi trường trong quá trình sản xuất")
    return (
        c("1.4", "Năng lực sản xuất đáp ứng đơn hàng", [
            ("Sản xuất theo mùa vụ, chưa đáp ứng được đơn hàng lớn", 0),
            ("Đáp ứng được đơn hàng thường xuyên của thị trường trong tỉnh", 1),
            ("Đáp ứng được đơn hàng lớn, ổn định quanh năm", 2),
        ]),
        c("1.5", "Liên kết sản xuất", linkage),
        c("1.7", environment_title, [
            ("Chưa có biện pháp thu gom, xử lý chất thải", 0),
            ("Có cam kết bảo vệ môi trường nhưng chưa có biện pháp xử lý chất thải phù hợp", 1),
            ("Có biện pháp thu gom, xử lý chất thải đạt yêu cầu", 2),
            ("Có hồ sơ môi trường theo quy định, tái sử dụng phụ phẩm và chất thải", 3),
        ], required=4),
    )


def development(new_rules):
    criteria = [
        c("2.1", "Nâng cấp, cải tiến sản phẩm", [
            ("Sản phẩm chưa được cải tiến so với ý tưởng ban đầu", 0),
            ("Có cải tiến về mẫu mã hoặc chất lượng", 1),
            ("Có cải tiến cả mẫu mã và chất lượng, có sự tham gia của chuyên gia", 2),
        ]),
        c("2.2", "Sở hữu trí tuệ", [
            ("Chưa nộp đơn đăng ký nhãn hiệu", 0),
            ("Đã nộp đơn đăng ký nhãn hiệu", 1),
            ("Được cấp giấy chứng nhận đăng ký nhãn hiệu", 2),
            ("Sản phẩm mang chỉ dẫn địa lý, nhãn hiệu chứng nhận hoặc nhãn hiệu tập thể", 3),
        ]),
    ]
    if new_rules:
        criteria.append(c("2.3", "Ứng dụng chuyển đổi số trong quản lý sản xuất, kinh doanh", [
            ("Chưa ứng dụng công nghệ số", 0),
            ("Quản lý sản xuất, bán hàng hoặc truy xuất bằng phần mềm, nền tảng số", 1),
        ]))
    return {"code": "2", "title": "Phát triển sản phẩm", "criteria": criteria}


def community():
    return {"code": "3", "title": "Sức mạnh cộng đồng", "criteria": [
        c("3.1", "Loại hình tổ chức sản xuất, kinh doanh", [
            ("Hộ kinh doanh có đăng ký kinh doanh", 1),
            ("Tổ hợp tác hoặc doanh nghiệp", 2),
            ("Hợp tác xã tổ chức và hoạt động theo Luật Hợp tác xã", 3),
        ]),
        c("3.2", "Sử dụng lao động địa phương", [
            ("Dưới 50% lao động là người địa phương", 1),
            ("Từ 50% đến 75% lao động là người địa phương", 2),
            ("Trên 75% lao động là người địa phương", 3),
        ]),
        c("3.3", "Mức độ tham gia của cộng đồng trong quản lý, điều hành", [
            ("Cộng đồng không tham gia quản lý, điều hành", 0),
            ("Có thành viên cộng đồng tham gia quản lý, điều hành", 1),
            ("Phụ nữ hoặc người dân tộc thiểu số giữ vai trò quản lý chủ chốt", 2),
        ]),
        c("3.4", "Kế toán", [
            ("Không có kế toán", 0),
            ("Có kế toán kiêm nhiệm", 1),
            ("Có kế toán chuyên trách, sổ sách đầy đủ", 2),
            ("Có kế toán chuyên trách, dùng phần mềm kế toán, lập báo cáo tài chính hằng năm", 3),
        ]),
        c("3.5", "Kết quả sản xuất, kinh doanh", [
            ("Hoạt động thua lỗ", 0),
            ("Có lãi, doanh thu năm sau thấp hơn năm trước", 1),
            ("Có lãi, doanh thu tăng dưới 10% mỗi năm", 2),
            ("Có lãi, doanh thu tăng từ 10% mỗi năm trở lên", 3),
        ]),
    ]}


def marketing(new_rules):
    ecommerce = [("Chưa bán hàng trực tuyến", 0), ("Bán hàng qua mạng xã hội", 1),
                 ("Có gian hàng trên sàn thương mại điện tử", 2)]
    fairs = [("Chưa tham gia hội chợ, triển lãm", 0), ("Tham gia hội chợ, triển lãm trong tỉnh", 1),
             ("Tham gia hội chợ, triển lãm cấp quốc gia hoặc quốc tế", 2)]
    if new_rules:  # 26/2026: e-commerce weighs one point more, fairs one point less
        ecommerce.append(("Có gian hàng trên sàn thương mại điện tử và bán hàng qua livestream thường xuyên", 3))
        fairs = [("Chưa tham gia hội chợ, triển lãm", 0), ("Có tham gia hội chợ, triển lãm xúc tiến thương mại", 1)]
    return [
        {"code": "4", "title": "Tiếp thị và phân phối", "criteria": [
            c("4.1", "Kế hoạch kinh doanh", [
                ("Không có kế hoạch kinh doanh", 0),
                ("Có kế hoạch kinh doanh nhưng chưa đầy đủ", 1),
                ("Có kế hoạch kinh doanh đầy đủ, được cập nhật hằng năm", 2),
            ]),
            c("4.2", "Hệ thống phân phối sản phẩm", [
                ("Chỉ bán tại nơi sản xuất", 0),
                ("Có kênh phân phối trong tỉnh", 1),
                ("Có kênh phân phối tại 2 đến 5 tỉnh, thành phố", 2),
                ("Có kênh phân phối tại trên 5 tỉnh, thành phố hoặc hệ thống siêu thị", 3),
                ("Có kênh phân phối toàn quốc và đã xuất khẩu", 4),
            ]),
            c("4.3", "Quảng bá sản phẩm", [
                ("Chưa có hoạt động quảng bá", 0),
                ("Có tài liệu quảng bá (tờ rơi, catalogue)", 1),
                ("Có trang thông tin điện tử hoặc trang mạng xã hội riêng", 2),
                ("Quảng bá thường xuyên trên nhiều kênh, có kế hoạch truyền thông", 3),
            ]),
            c("4.4", "Thương mại điện tử", ecommerce),
            c("4.5", "Tham gia xúc tiến thương mại", fairs),
        ]},
        {"code": "5", "title": "Câu chuyện, bao bì và nhãn sản phẩm", "criteria": [
            c("5.1", "Câu chuyện về sản phẩm", [
                ("Không có câu chuyện sản phẩm", 0),
                ("Có câu chuyện nhưng chưa thể hiện trên bao bì hoặc tài liệu", 1),
                ("Có câu chuyện thể hiện trên tài liệu quảng bá", 2),
                ("Câu chuyện gắn với văn hóa, lịch sử địa phương, thể hiện trên bao bì và tài liệu", 3),
            ]),
            c("5.2", "Bao bì sản phẩm", [
                ("Bao bì đơn giản, không phù hợp với sản phẩm", 0),
                ("Bao bì phù hợp, bảo quản được sản phẩm", 1),
                ("Bao bì phù hợp, có thiết kế nhận diện riêng", 2),
                ("Bao bì thân thiện với môi trường, thiết kế chuyên nghiệp, đồng bộ", 3),
            ]),
            c("5.3", "Tem nhãn hàng hóa", [
                ("Không có nhãn hoặc nhãn không đúng quy định", 0),
                ("Nhãn đủ nội dung bắt buộc theo Nghị định 43/2017/NĐ-CP và Nghị định 111/2021/NĐ-CP", 2),
                ("Nhãn đủ nội dung bắt buộc, có mã số mã vạch và thông tin bổ sung", 3),
            ], required=3),
            c("5.4", "Truy xuất nguồn gốc", [
                ("Không có khả năng truy xuất nguồn gốc", 0),
                ("Có sổ ghi chép, nhật ký sản xuất", 1),
                ("Có tem truy xuất (mã QR) tra cứu được thông tin lô sản xuất", 2),
                ("Có hệ thống truy xuất điện tử kết nối cổng truy xuất nguồn gốc của tỉnh hoặc quốc gia", 3),
            ], required=4),
        ]},
    ]


def export_and_brand():
    return {"code": "8", "title": "Khả năng xuất khẩu và thương hiệu", "criteria": [
        c("8.1", "Khả năng xuất khẩu", [
            ("Chưa có khả năng xuất khẩu", 0),
            ("Đáp ứng một số yêu cầu của thị trường nước ngoài", 2),
            ("Đã xuất khẩu qua trung gian", 4),
            ("Xuất khẩu trực tiếp, có hợp đồng xuất khẩu ổn định", 5),
        ], required=5),
        c("8.2", "Uy tín thương hiệu sản phẩm", [
            ("Sản phẩm chưa có thương hiệu trên thị trường", 0),
            ("Được biết đến trong tỉnh", 1),
            ("Được biết đến trong cả nước", 2),
            ("Đạt giải thưởng cấp quốc gia hoặc quốc tế", 3),
        ]),
    ]}


def quality_system():
    return c("7.4", "Hệ thống quản lý chất lượng", [
        ("Chưa áp dụng hệ thống quản lý chất lượng", 0),
        ("Áp dụng một phần công cụ quản lý chất lượng (5S, Kaizen)", 1),
        ("Áp dụng hệ thống quản lý chất lượng tiên tiến (ISO 9001, VietGAP...)", 2),
        ("Được chứng nhận hệ thống quản lý chất lượng quốc tế", 3),
    ])


def uniqueness():
    return c("6.1", "Tính đặc biệt, độc đáo của sản phẩm", [
        ("Sản phẩm phổ biến, không có nét riêng", 1),
        ("Có nét đặc trưng của vùng nguyên liệu hoặc cách chế biến", 2),
        ("Sản phẩm đặc sản của địa phương", 3),
        ("Sản phẩm đặc sản, độc đáo, gắn với bí quyết truyền thống", 4),
    ])


def convenience():
    return c("6.4", "Tính tiện dụng", [
        ("Sản phẩm cần chế biến thêm trước khi sử dụng", 0),
        ("Sản phẩm dễ sử dụng, có hướng dẫn sử dụng", 1),
        ("Sản phẩm dùng ngay, đa dạng quy cách đóng gói", 2),
    ])


def production(sector, raw, new_rules):
    capacity, linkage, environment = production_common(new_rules)
    if sector == "food":
        specific = [
            c("1.2", "Vùng nguyên liệu", [
                ("Chưa có vùng nguyên liệu ổn định", 0),
                ("Có vùng nguyên liệu ổn định nhưng chưa được chứng nhận", 1),
                ("Vùng nguyên liệu được cấp mã số vùng trồng, vùng nuôi hoặc đạt VietGAP", 2),
                ("Vùng nguyên liệu đạt chứng nhận hữu cơ, GlobalGAP hoặc tương đương", 3),
            ]),
            c("1.3", "Gia tăng giá trị trong sản xuất", [
                ("Chỉ sơ chế đơn giản (phân loại, làm sạch, đóng gói)", 1),
                ("Có công đoạn chế biến tại cơ sở", 2),
                ("Chế biến sâu, phần lớn giá trị gia tăng tạo ra tại địa phương", 3),
            ]),
        ]
        technology = c("1.6", "Công nghệ, máy móc, thiết bị sản xuất", [
            ("Sản xuất thủ công, chưa có máy móc chuyên dùng", 0),
            ("Có máy móc, thiết bị ở một số công đoạn", 1),
            ("Có máy móc, thiết bị ở phần lớn công đoạn", 2),
            ("Ứng dụng công nghệ tiên tiến, tự động hóa trong sản xuất", 3),
        ])
    elif sector == "herbal":
        specific = [
            c("1.2", "Vùng trồng, khai thác dược liệu", [
                ("Khai thác tự nhiên, không có kế hoạch bảo tồn, tái sinh", 0),
                ("Có vùng trồng dược liệu ổn định", 1),
                ("Vùng trồng được cấp mã số hoặc áp dụng quy trình thực hành tốt", 2),
                ("Vùng trồng đạt thực hành tốt trồng trọt và thu hái dược liệu (GACP-WHO)", 3),
            ]),
            c("1.3", "Gia tăng giá trị trong sản xuất", [
                ("Chỉ sơ chế dược liệu (phơi, sấy, thái lát)", 1),
                ("Có công đoạn chiết xuất hoặc bào chế tại cơ sở", 2),
                ("Bào chế thành phẩm có giá trị gia tăng cao tại địa phương", 3),
            ]),
        ]
        technology = c("1.6", "Công nghệ chiết xuất, bào chế", [
            ("Sơ chế thủ công, phơi sấy tự nhiên", 0),
            ("Có máy sấy, máy nghiền chuyên dùng", 1),
            ("Có dây chuyền chiết xuất, cô đặc", 2),
            ("Ứng dụng công nghệ chiết xuất tiên tiến (chưng cất hơi nước, chiết siêu tới hạn...)", 3),
        ])
    else:
        specific = [
            c("1.2", "Nguyên liệu nhuộm, hoàn thiện sản phẩm", [
                ("Dùng thuốc nhuộm hóa học không rõ nguồn gốc", 0),
                ("Dùng thuốc nhuộm công nghiệp được phép sử dụng", 1),
                ("Kết hợp thuốc nhuộm tự nhiên và thuốc nhuộm công nghiệp được phép", 2),
                ("Nhuộm hoàn toàn bằng nguyên liệu tự nhiên (chàm, củ nâu, vỏ cây...)", 3),
            ]),
            c("1.3", "Kỹ thuật, kỹ năng thủ công", [
                ("Chủ yếu gia công bằng máy", 1),
                ("Kết hợp máy móc và thủ công", 2),
                ("Dệt, thêu, may thủ công theo kỹ thuật truyền thống", 3),
            ]),
        ]
        technology = c("1.6", "Nghệ nhân, thợ giỏi tham gia sản xuất", [
            ("Không có nghệ nhân, thợ giỏi", 0),
            ("Có thợ lành nghề được đào tạo", 1),
            ("Có nghệ nhân được công nhận cấp tỉnh", 2),
            ("Có nghệ nhân ưu tú hoặc nghệ nhân nhân dân", 3),
        ])
    return {"code": "1", "title": "Tổ chức sản xuất", "criteria": [
        raw_material(raw), *specific, capacity, linkage, technology, environment]}


def quality(sector, senses):
    if sector == "food":
        first = {"code": "6", "title": "Chất lượng cảm quan và dinh dưỡng", "criteria": [
            uniqueness(),
            c("6.2", f"Chất lượng cảm quan: {senses}", [
                ("Có lỗi cảm quan dễ nhận biết", 1),
                ("Đạt yêu cầu cảm quan thông thường", 2),
                ("Cảm quan tốt, hài hòa", 3),
                ("Cảm quan rất tốt, nổi bật", 5),
            ]),
            c("6.3", "Thành phần, phụ gia và giá trị dinh dưỡng", [
                ("Sử dụng phụ gia không rõ nguồn gốc hoặc ngoài danh mục cho phép", 0),
                ("Có sử dụng phụ gia trong danh mục cho phép", 1),
                ("Không sử dụng phụ gia tổng hợp", 2),
                ("Không sử dụng phụ gia, có công bố giá trị dinh dưỡng", 3),
            ]),
            convenience(),
        ]}
        second = {"code": "7", "title": "Tiêu chuẩn và an toàn thực phẩm", "criteria": [
            c("7.1", "Công bố tiêu chuẩn chất lượng sản phẩm", [
                ("Chưa công bố tiêu chuẩn chất lượng", 0),
                ("Có hồ sơ tự công bố sản phẩm theo quy định", 2),
                ("Có tiêu chuẩn cơ sở và tự công bố, cập nhật theo kết quả kiểm nghiệm", 3),
            ], required=3),
            c("7.2", "Điều kiện cơ sở sản xuất bảo đảm an toàn thực phẩm", [
                ("Chưa có giấy chứng nhận hoặc bản cam kết về an toàn thực phẩm", 0),
                ("Có bản cam kết sản xuất thực phẩm an toàn", 2),
                ("Có giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", 3),
                ("Áp dụng hệ thống quản lý an toàn thực phẩm HACCP, ISO 22000 hoặc tương đương", 4),
            ], required=3),
            c("7.3", "Kiểm nghiệm định kỳ chất lượng sản phẩm", [
                ("Chưa kiểm nghiệm", 0),
                ("Có phiếu kiểm nghiệm khi công bố sản phẩm", 1),
                ("Kiểm nghiệm định kỳ hằng năm các chỉ tiêu an toàn thực phẩm", 2),
                ("Kiểm nghiệm định kỳ tại phòng thử nghiệm được công nhận ISO/IEC 17025", 3),
            ]),
            quality_system(),
        ]}
    elif sector == "herbal":
        first = {"code": "6", "title": "Chất lượng và công dụng", "criteria": [
            uniqueness(),
            c("6.2", "Công dụng của sản phẩm", [
                ("Công dụng chưa được chứng minh", 0),
                ("Công dụng theo kinh nghiệm dân gian", 2),
                ("Công dụng được ghi nhận trong tài liệu y học cổ truyền", 3),
                ("Công dụng được chứng minh bằng nghiên cứu khoa học", 5),
            ]),
            c("6.3", f"Chất lượng cảm quan: {senses}", [
                ("Có lỗi cảm quan dễ nhận biết", 1),
                ("Đạt yêu cầu cảm quan", 2),
                ("Cảm quan tốt, đặc trưng của dược liệu", 3),
            ]),
            convenience(),
        ]}
        second = {"code": "7", "title": "Tiêu chuẩn và độ an toàn", "criteria": [
            c("7.1", "Công bố hoặc đăng ký lưu hành sản phẩm", [
                ("Chưa công bố hoặc đăng ký lưu hành", 0),
                ("Có hồ sơ công bố sản phẩm hoặc giấy đăng ký lưu hành", 2),
                ("Có giấy đăng ký lưu hành và tiêu chuẩn cơ sở được cập nhật", 3),
            ], required=3),
            c("7.2", "Điều kiện cơ sở sản xuất", [
                ("Chưa đáp ứng điều kiện sản xuất theo quy định", 0),
                ("Có bản cam kết bảo đảm điều kiện sản xuất", 2),
                ("Có giấy chứng nhận đủ điều kiện sản xuất", 3),
                ("Đạt thực hành tốt sản xuất (GMP)", 4),
            ], required=3),
            c("7.3", "Kiểm nghiệm định kỳ (kim loại nặng, vi sinh, dư lượng thuốc bảo vệ thực vật)", [
                ("Chưa kiểm nghiệm", 0),
                ("Có phiếu kiểm nghiệm khi công bố sản phẩm", 1),
                ("Kiểm nghiệm định kỳ hằng năm", 2),
                ("Kiểm nghiệm định kỳ tại phòng thử nghiệm được công nhận ISO/IEC 17025", 3),
            ]),
            c("7.4", "Độ an toàn khi sử dụng", [
                ("Có phản ánh về tác dụng không mong muốn chưa được xử lý", 0),
                ("Có hướng dẫn sử dụng và cảnh báo an toàn", 1),
                ("Có kết quả đánh giá độc tính hoặc thử nghiệm an toàn", 2),
                ("Được cơ quan có thẩm quyền đánh giá an toàn, không có phản ánh tác dụng phụ", 3),
            ]),
        ]}
    else:
        first = {"code": "6", "title": "Tính thẩm mỹ và bản sắc", "criteria": [
            c("6.1", "Tính độc đáo, bản sắc văn hóa dân tộc", [
                ("Mẫu mã phổ biến, không có nét riêng", 1),
                ("Có yếu tố văn hóa địa phương", 2),
                ("Thể hiện rõ bản sắc văn hóa dân tộc", 3),
                ("Độc đáo, gắn với kỹ thuật và hoa văn truyền thống riêng có", 4),
            ]),
            c("6.2", f"Tính thẩm mỹ: {senses}", [
                ("Chưa hài hòa, còn lỗi dễ nhận biết", 1),
                ("Đạt yêu cầu thẩm mỹ thông thường", 2),
                ("Hài hòa, đẹp", 3),
                ("Rất đẹp, tinh xảo, nổi bật", 5),
            ]),
            c("6.3", "Công năng sử dụng", [
                ("Chỉ dùng để trưng bày", 1),
                ("Dùng được trong sinh hoạt hằng ngày", 2),
                ("Đa công năng, phù hợp thị hiếu người tiêu dùng hiện đại", 3),
            ]),
            c("6.4", "Mức độ hoàn thiện (đường may, mép vải, chi tiết)", [
                ("Còn lỗi hoàn thiện", 0),
                ("Hoàn thiện đạt yêu cầu", 1),
                ("Hoàn thiện tỉ mỉ, đồng đều", 2),
            ]),
        ]}
        second = {"code": "7", "title": "Tiêu chuẩn và độ an toàn", "criteria": [
            c("7.1", "Công bố tiêu chuẩn chất lượng sản phẩm", [
                ("Chưa công bố tiêu chuẩn chất lượng", 0),
                ("Có tiêu chuẩn cơ sở", 2),
                ("Công bố hợp chuẩn, hợp quy", 3),
            ], required=3),
            c("7.2", "An toàn cho người sử dụng (formaldehyt, amin thơm)", [
                ("Chưa kiểm tra các chỉ tiêu an toàn", 0),
                ("Có cam kết không sử dụng hóa chất cấm", 2),
                ("Có kết quả thử nghiệm đạt QCVN 01:2017/BCT", 3),
                ("Đạt chứng nhận an toàn sinh thái hàng dệt may (OEKO-TEX hoặc tương đương)", 4),
            ], required=3),
            c("7.3", "Độ bền sản phẩm (độ bền màu, độ co, độ bền kéo)", [
                ("Chưa thử nghiệm độ bền", 0),
                ("Có đánh giá độ bền theo kinh nghiệm sản xuất", 1),
                ("Có kết quả thử nghiệm độ bền đạt yêu cầu", 2),
                ("Có kết quả thử nghiệm độ bền đạt tiêu chuẩn quốc gia", 3),
            ]),
            quality_system(),
        ]}
    return [first, second, export_and_brand()]


def build_sheet(regulation: str, number: int) -> dict:
    sector, raw, senses, set_name = DEMO_SETS[number]
    new_rules = regulation == "26/2026/QĐ-TTg"
    maxima = dict(zip("ABC", REGULATIONS[regulation][1], strict=True))
    sections = {
        "A": [production(sector, raw, new_rules), development(new_rules), community()],
        "B": marketing(new_rules),
        "C": quality(sector, senses),
    }
    return {
        "regulation": regulation, "product_set": number,
        "title": f"Phiếu đánh giá sản phẩm OCOP – bộ sản phẩm {number}: {set_name} (theo {regulation}) – {DEMO_NOTE}",
        "demonstration": True,
        "parts": [{"code": code, "title": PART_TITLES[code], "max": maxima[code], "sections": sections[code]}
                  for code in "ABC"],
    }


def to_sheet_data(tree: dict):
    from evaluation.services.sheets.tree import CriterionData, OptionData, PartData, SectionData, SheetData

    return SheetData(
        regulation=tree["regulation"], product_set=tree["product_set"], title=tree["title"],
        demonstration=tree["demonstration"],
        parts=[PartData(code=p["code"], title=p["title"], max_points=Decimal(p["max"]), sections=[
            SectionData(code=s["code"], title=s["title"], criteria=[
                CriterionData(code=cr["code"], title=cr["title"], max_points=Decimal(cr["max"]),
                              required_for_star=cr["required_for_star"],
                              assessed_by_commune=cr["assessed_by_commune"], options=[
                                  OptionData(label=o["label"], points=Decimal(o["points"]), knocks_out=o["knocks_out"])
                                  for o in cr["options"]])
                for cr in s["criteria"]])
            for s in p["sections"]]) for p in tree["parts"]])


def write_part_maxima() -> None:
    with (ROOT / "products" / "data" / "product_sets.csv").open(encoding="utf-8") as fh:
        numbers = [int(row["number"]) for row in csv.DictReader(fh)]
    with (HERE / "part_maxima.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["regulation", "product_set", "part", "title", "max"])
        for regulation, (_folder, maxima) in REGULATIONS.items():
            for number in numbers:
                for code, maximum in zip("ABC", maxima, strict=True):
                    writer.writerow([regulation, number, code, PART_TITLES[code], maximum])


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    import django

    django.setup()
    from evaluation.services.sheets.validate import sheet_structure_errors
    from evaluation.services.sheets.yaml import sheet_data_yaml

    write_part_maxima()
    for regulation in DEMO_REGULATIONS:
        folder = HERE / "sheets" / REGULATIONS[regulation][0]
        folder.mkdir(parents=True, exist_ok=True)
        for number in DEMO_SETS:
            data = to_sheet_data(build_sheet(regulation, number))
            errors = sheet_structure_errors(data)
            if errors:
                raise SystemExit(f"{regulation} set {number}: " + "; ".join(str(e) for e in errors))
            path = folder / f"bo-{number:02d}.yaml"
            path.write_text(sheet_data_yaml(data), encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(list(data.criteria()))} criteria")


if __name__ == "__main__":
    main()
