import pytest


def test_the_login_page_signs_in_and_goes_to_the_list(client, alice):
    page = client.get("/accounts/login/?next=/")
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()

    response = client.post("/accounts/login/", {"username": "alice", "password": "alice-password", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/", follow=True).redirect_chain == [("/projects/seed/", 302)]


def test_a_wrong_password_is_explained_on_the_page(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="form-errors" role="alert"' in html
    assert "correct username and password" in html


def test_signing_out_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
    ],
)
def test_there_is_no_password_reset_or_change_form(client, alice, mailoutbox, path):
    # Staff reset passwords in the admin; an open reset form is unthrottled and sends mail.
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "alice@example.org"}).status_code == 404
    assert mailoutbox == []
