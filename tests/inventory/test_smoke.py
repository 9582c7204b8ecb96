from django.urls import reverse


def test_product_list_requires_login(client, db):
    response = client.get(reverse("inventory:product_list"))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_product_list_shows_seller_name(seller_client):
    response = seller_client.get(reverse("inventory:product_list"))

    assert response.status_code == 200
    assert "Acme" in response.content.decode()
