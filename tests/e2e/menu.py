"""Going somewhere through the main menu, as a person does: open the group, click the page."""


def use_menu(page, group: str, item: str) -> None:
    menu = page.get_by_role("navigation", name="Main")
    if menu.locator("summary.menu-button").is_visible():
        menu.locator("summary.menu-button").click()
    menu.locator(".menu-groups > li > details > summary", has_text=group).click()
    menu.locator(".menu-groups details[open]").get_by_role("link", name=item, exact=True).click()
