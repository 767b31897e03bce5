"""WTForms' own messages (forum/core/forms.py keeps their catalogues per process) come in the
reader's language, and follow the reader when they switch."""


def test_a_bad_choice_is_refused_in_the_readers_language_and_keeps_what_they_typed(client, auth, demo):
    auth.login(demo.resident.phone)
    form = {"title": "电梯经常停运", "body": "每天早上都停", "category": "no-such-category", "urgency": "2",
            "community": demo.community.id}
    page = client.post("/needs/new", data=form).get_data(as_text=True)
    assert "不是有效的选择" in page and "每天早上都停" in page
    client.post("/settings/language", data={"lang": "en"})
    page = client.post("/needs/new", data=form).get_data(as_text=True)
    assert "Not a valid choice" in page and "不是有效的选择" not in page
    client.post("/settings/language", data={"lang": "zh_CN"})
    assert "不是有效的选择" in client.post("/needs/new", data=form).get_data(as_text=True)
