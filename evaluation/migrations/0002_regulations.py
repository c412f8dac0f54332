"""The regulations as data: star bands, the level each council sits at and what it may recognise.

Values follow public reporting of the decisions (see shared OCOP.md); an administrator can change them
in Django admin where the official text differs.
"""
import datetime
from decimal import Decimal

from django.db import migrations

BANDS = [(1, "0"), (2, "30"), (3, "50"), (4, "70"), (5, "90")]
REGULATIONS = [
    ("1048/QĐ-TTg", "Bộ tiêu chí đánh giá, phân hạng sản phẩm Chương trình Mỗi xã một sản phẩm (2019)",
     datetime.date(2019, 8, 21), datetime.date(2019, 8, 21),
     [("district", 0, "50", "province"), ("province", 4, "90", "central"), ("central", 5, None, "")]),
    ("148/QĐ-TTg", "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm Chương trình OCOP (2023)",
     datetime.date(2023, 2, 24), datetime.date(2023, 2, 24),
     [("district", 3, "70", "province"), ("province", 4, "90", "central"), ("central", 5, None, "")]),
    ("1489/QĐ-TTg", "Sửa đổi quy trình đánh giá, phân hạng sản phẩm OCOP theo chính quyền hai cấp (2025)",
     datetime.date(2025, 7, 1), datetime.date(2025, 7, 1),
     [("commune", 0, "50", "province"), ("province", 4, "90", "central"), ("central", 5, None, "")]),
    ("26/2026/QĐ-TTg", "Bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP (2026)",
     datetime.date(2026, 5, 22), datetime.date(2026, 5, 22),
     [("commune", 0, "50", "province"), ("province", 4, "90", "central"), ("central", 5, None, "")]),
]


def load(apps, schema_editor):
    Regulation = apps.get_model("evaluation", "Regulation")
    StarBand = apps.get_model("evaluation", "StarBand")
    LevelRule = apps.get_model("evaluation", "LevelRule")
    for code, title, issued, effective, levels in REGULATIONS:
        regulation, _ = Regulation.objects.update_or_create(code=code, defaults={
            "title": title, "issued_on": issued, "effective_from": effective,
            "quorum_ratio": Decimal("0.75"), "quorum_requires_chair": True, "max_spread": Decimal("10")})
        for star, minimum in BANDS:
            StarBand.objects.update_or_create(regulation=regulation, star=star,
                                              defaults={"min_score": Decimal(minimum)})
        for level, max_star, nomination, next_level in levels:
            LevelRule.objects.update_or_create(regulation=regulation, level=level, defaults={
                "max_star": max_star, "nomination_score": Decimal(nomination) if nomination else None,
                "next_level": next_level})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
