from .models import SellerMember


def current_seller(request):
    """The seller the signed-in user belongs to, or None (staff, anonymous)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_cached_seller"):
        membership = (
            SellerMember.objects.select_related("seller").filter(user=user).first()
        )
        request._cached_seller = membership.seller if membership else None
    return request._cached_seller


def seller_tabs(request):
    """The header's seller name; tab counts are filled by the views' mixin."""
    return {"current_seller": current_seller(request)}
