import pytest


@pytest.mark.django_db
def test_browsers_asking_for_favicon_ico_are_sent_to_the_svg_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("/static/favicon.svg")
