"""Demo needs in every state, made through the services so their timelines are real."""
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.lists import needs
from forum.places.models import Community


def _need(author, community, title, body, category, urgency=1, compound=0, **extra):
    fields = {"title": title, "body": body, "category": category, "urgency": urgency,
              "compound": community.compounds[compound] if compound is not None else None,
              "location": extra.pop("location", None), "anonymous": extra.pop("anonymous", False)}
    return needs.create_need(author, community, fields, [])


def _repairs_offer(contact, community) -> None:
    """A unit's offer that fits an open demo need, so the demo shows a suggested match."""
    from forum.lists.resources import post_resource

    unit = next(u for u in contact.units if community in u.communities)
    post_resource(contact, unit=unit, community=community, fields={
        "title": "后勤电工上门维修照明", "body": "学校后勤的两位电工每周六上午可以为社区老旧楼栋更换楼道灯、修理照明线路和开关。",
        "category": "facilities", "kind": "volunteer", "capacity": "每周六上午，约 10 户", "available_from": None,
        "available_until": None, "scope": "communities"})


def seed_needs() -> None:
    users = {u.phone: u for u in db.session.scalars(select(User))}
    staff, council, school = users["13900000001"], users["13900000002"], users["13900000003"]
    resident, unverified, resident2 = users["13900000004"], users["13900000005"], users["13900000006"]
    qingsong, cuihu = db.session.scalars(select(Community).order_by(Community.id).limit(2)).all()

    _repairs_offer(school, qingsong)
    lights = _need(resident, qingsong, "3号楼楼道灯坏了一个多星期",
                   "3号楼2单元从一楼到四楼的楼道灯都不亮，晚上老人上下楼只能摸黑，已经有人差点摔倒。",
                   "facilities", urgency=2, location="3号楼2单元")
    needs.take_step(staff, lights, "publish")
    needs.support(council, lights)
    needs.support(unverified, lights)

    tutoring = _need(council, qingsong, "双职工家庭孩子放学后没人照看",
                     "小区里不少双职工家庭，孩子下午四点放学后到家长下班前没人照看，希望能有课后托管或作业辅导。",
                     "children", compound=1)
    needs.take_step(staff, tutoring, "publish")
    needs.support(resident, tutoring)
    needs.take_step(school, tutoring, "claim")
    needs.take_step(school, tutoring, "start")

    fitness = _need(resident, qingsong, "小区健身器材有两台坏了",
                    "青松苑中心花园的漫步机和扭腰器坏了，转动时有异响，担心伤到人。", "facilities")
    needs.take_step(staff, fitness, "publish")
    needs.take_step(staff, fitness, "claim")
    needs.take_step(staff, fitness, "resolve", note="已联系物业更换了两台器材，并加装了安全提示牌。")

    bins = _need(resident, qingsong, "垃圾桶经常满溢没人清理",
                 "松竹小区东门的垃圾桶周末经常满出来，气味很大。", "environment", compound=1)
    needs.take_step(staff, bins, "publish")
    needs.take_step(staff, bins, "claim")
    needs.take_step(staff, bins, "resolve", note="和环卫站协调，周末增加一次清运。")
    needs.take_step(resident, bins, "rate", score=4, comment="现在干净多了，谢谢！")

    _need(unverified, qingsong, "希望开一个老年人智能手机课",
          "家里老人不会用手机挂号、付款，希望社区能组织几次手把手的教学。", "elderly", compound=2)

    parking = _need(unverified, qingsong, "邻居车位纠纷",
                    "隔壁总占我家门口的位置。", "housing", compound=2)
    needs.take_step(staff, parking, "reject", note="属于邻里个人纠纷，请到居委会调解室当面反映，我们会安排调解。")

    medicine = needs.create_for_resident(
        staff, qingsong, "王桂兰", "13700001234",
        {"title": "独居老人需要有人帮忙取药", "body": "王奶奶 82 岁，腿脚不便，每月需要到医院取高血压药。",
         "category": "elderly", "urgency": 2, "compound": qingsong.compounds[0],
         "location": "青松苑 6号楼", "anonymous": False}, [])
    needs.support(resident, medicine)

    noise = _need(resident, qingsong, "楼上深夜噪音扰民",
                  "每天夜里十二点以后还有拖动家具的声音，希望物业能提醒一下。", "housing", anonymous=True)
    needs.take_step(staff, noise, "publish")

    duplicate = _need(council, qingsong, "3号楼的楼道灯不亮", "晚上楼道一片漆黑。", "facilities")
    needs.take_step(staff, duplicate, "merge", target_id=lights.id, note="与已有需求重复")

    withdrawn = _need(resident, qingsong, "想找人一起晨练", "有没有邻居愿意早上一起打太极？", "culture")
    needs.take_step(resident, withdrawn, "withdraw")

    lamp = _need(resident2, cuihu, "小区南门路灯不亮", "翠湖花园南门外的两盏路灯坏了，晚上回家很不安全。",
                 "safety", urgency=3)
    needs.take_step(users["13900000000"], lamp, "publish")
    needs.take_step(school, lamp, "claim")

    from forum.discussion.demo import seed_discussion

    seed_discussion()


def seed_projects() -> None:
    """A project in progress and a completed, rated one, joining demo needs and resources."""
    from datetime import date, timedelta

    from forum.lists import projects
    from forum.lists.models import Need
    from forum.places.models import Unit

    users = {u.phone: u for u in db.session.scalars(select(User))}
    staff, school, resident = users["13900000001"], users["13900000003"], users["13900000004"]
    qingsong = db.session.scalars(select(Community).order_by(Community.id).limit(1)).one()
    today = date.today()
    usable = projects.usable_resources(qingsong, today)
    if not usable:
        return
    by_unit = {}
    for resource in usable:
        by_unit.setdefault(resource.unit.kind if resource.unit else "volunteer", resource)
    school_unit = db.session.scalar(select(Unit).where(Unit.kind == "school"))

    tutoring = db.session.scalar(select(Need).where(Need.title == "双职工家庭孩子放学后没人照看"))
    project = projects.create_project(
        staff, qingsong,
        {"title": "“四点半课堂”课后托管", "summary": "青松路小学教师志愿者每周一至周四下午在社区活动室辅导作业。",
         "lead_unit": school_unit, "planned_start": today - timedelta(days=20),
         "planned_end": today + timedelta(days=60), "budget": None},
        [tutoring.id], [(by_unit.get("school") or usable[0]).id],
        [("布置社区活动室", today - timedelta(days=15)), ("第一期学员结业", today + timedelta(days=60))])
    projects.take_step(school, project, "start")
    projects.post_update(school, project, "已有 18 名孩子报名，4 位老师轮流值班。", 40, None)

    medicine = db.session.scalar(select(Need).where(Need.title == "独居老人需要有人帮忙取药"))
    done = projects.create_project(
        staff, qingsong,
        {"title": "独居老人代取药服务", "summary": "社区医院每月上门随访，志愿者代取常用药。",
         "lead_unit": None, "planned_start": today - timedelta(days=40), "planned_end": today - timedelta(days=5),
         "budget": None},
        [medicine.id], [(by_unit.get("hospital") or usable[0]).id], [])
    projects.take_step(staff, done, "start")
    projects.post_update(staff, done, "已为 6 位独居老人建立取药台账。", 80, None)
    projects.take_step(staff, done, "complete")
    projects.rate(resident, done, 5, "王奶奶说很方便，谢谢社区！")
    projects.take_step(staff, done, "evaluate")

    noise = db.session.scalar(select(Need).where(Need.title == "楼上深夜噪音扰民"))
    legal = by_unit.get("law_firm")
    if legal is not None:
        projects.create_project(
            staff, qingsong,
            {"title": "“邻里和睦”普法与调解进楼栋", "summary": "律师到楼栋讲解噪音、漏水等常见邻里纠纷的处理办法，并现场调解。",
             "lead_unit": legal.unit, "planned_start": today + timedelta(days=10),
             "planned_end": today + timedelta(days=40), "budget": 2000},
            [noise.id], [legal.id], [("确定讲座时间和楼栋", today + timedelta(days=7))])
