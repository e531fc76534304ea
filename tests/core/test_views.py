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
