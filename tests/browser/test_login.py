def test_seller_signs_in_and_sees_the_product_list(login, seller_user, live_server):
    page = login("acme")

    assert page.url.endswith("/products/")
    assert page.locator("[data-testid=seller-name]").inner_text() == "Acme"
