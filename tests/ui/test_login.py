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
