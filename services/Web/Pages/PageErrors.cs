using Msp.Web.Api;
using Msp.Web.Security;

namespace Msp.Web.Pages;

/// <summary>The status an exception answers with: an API's 404 is this page's 404 (so another tenant's ticket looks
/// exactly like an unknown one), its 403 is "not allowed", anything else a 500.</summary>
public static class PageErrors
{
    public static int StatusOf(Exception e) =>
        WebSecurity.Find<ApiNotFoundException>(e) is not null ? StatusCodes.Status404NotFound
        : WebSecurity.Find<ApiForbiddenException>(e) is not null ? StatusCodes.Status403Forbidden
        : StatusCodes.Status500InternalServerError;
}
