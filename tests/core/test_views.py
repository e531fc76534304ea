from datetime import date

from clusterxchange.programmes.models import Programme


def test_health_reports_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_home_names_the_programme(world, client):
    page = client.get("/").content.decode()
    assert "Test programme" in page
    assert "Cluster A" in page


def test_language_switch(client, db):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/de/"
    assert client.get("/de/").status_code == 200


def test_home_and_public_site_open_on_the_same_current_programme(world, client):
    for acronym, start in [("NEWER", date(2025, 1, 1)), ("OLDER", date(2020, 1, 1))]:
        Programme.objects.create(
            name=f"{acronym} programme",
            acronym=acronym,
            slug=acronym.lower(),
            start_date=start,
            end_date=date(2030, 1, 1),
        )
    assert client.get("/").context["programme"].acronym == "NEWER"
    assert client.get("/programme/")["Location"].endswith("/programme/newer/")
