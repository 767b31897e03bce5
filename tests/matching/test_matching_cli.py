"""`forum matching evaluate|rank` on a small hand-made set, and the record adapters."""
import json
from datetime import date

from click.testing import CliRunner

from forum.cli import build_cli
from forum.lists.models import Need, Resource
from forum.matching.records import need_record, resource_record
from forum.places.models import Community

SMALL_SET = {
    "communities": [
        {"id": "a", "name": "东湖社区", "street": "东湖街道"},
        {"id": "b", "name": "西岭社区", "street": "西岭街道"},
    ],
    "resources": [
        {"id": "leak", "title": "楼顶漏水上门维修", "body": "物业维修班组上门修理屋顶漏水、水管渗漏。",
         "category": "facilities", "kind": "service", "unit": "安家物业服务公司", "community": "a",
         "capacity": "每周2次", "available_until": None},
        {"id": "law", "title": "律师免费法律咨询", "body": "律师每周六坐班，解答租房押金、劳动合同纠纷。",
         "category": "legal", "kind": "people", "unit": "正信律师事务所", "community": "b",
         "capacity": "每周六上午", "available_until": "2099-12-31"},
        {"id": "old", "title": "过期的漏水维修", "body": "上门修理漏水。", "category": "facilities",
         "kind": "service", "unit": "旧物业公司", "community": "a", "capacity": None,
         "available_until": "2020-01-01"},
    ],
    "needs": [
        {"id": "n1", "title": "卫生间渗水", "body": "卫生间墙面一直渗水，楼下都湿了。", "category": "housing",
         "urgency": 2, "community": "a", "relevant": ["leak"]},
        {"id": "n2", "title": "房东不退押金", "body": "租的房子到期了，房东扣着押金不退。", "category": "legal",
         "urgency": 1, "community": "b", "relevant": ["law"]},
        {"id": "n3", "title": "想学游泳", "body": "附近有没有游泳池？", "category": "culture",
         "urgency": 1, "community": "b", "relevant": []},
    ],
}


def run(tmp_path, command, *extra):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL_SET, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(build_cli(), ["matching", command, str(path), "--today", "2026-06-01", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_evaluate_prints_the_metrics_of_a_small_set(tmp_path):
    output = run(tmp_path, "evaluate")
    assert "needs: 3 (2 with a relevant resource, 1 without)" in output
    assert "hit@1: 1.000" in output
    assert "hit@3: 1.000" in output
    assert "MRR: 1.000" in output
    assert "no-match needs left without suggestion: 1.000" in output


def test_rank_prints_the_suggestions_above_the_threshold_as_json(tmp_path):
    ranked = json.loads(run(tmp_path, "rank"))
    assert ranked == {"n1": ["leak"], "n2": ["law"], "n3": []}


def test_a_higher_threshold_leaves_every_need_without_suggestion(tmp_path):
    assert json.loads(run(tmp_path, "rank", "--threshold", "9")) == {"n1": [], "n2": [], "n3": []}


def test_records_are_built_from_the_models():
    community = Community(id=7, street_id=3, name="东湖社区")
    need = Need(id=1, community=community, community_id=7, title="漏水", body="屋顶漏水", category="housing",
                urgency=3, status="published", support_count=4)
    resource = Resource(id=2, community=community, community_id=7, title="维修", body=None, category="facilities",
                        kind="service", status="paused", available_until=date(2027, 1, 1), scope="street")
    assert need_record(need) == need_record(need)
    record = need_record(need)
    assert (record.id, record.community_id, record.street_id, record.urgency, record.supporters) == (1, 7, 3, 3, 4)
    record = resource_record(resource)
    assert (record.body, record.street_id, record.status, record.available_until, record.scope) == (
        "", 3, "paused", date(2027, 1, 1), "street")
