using WebIde.Identity.Storage;

namespace WebIde.Identity.Apis;

public sealed record UserResponse(Guid Id, string Username, string DisplayName)
{
    public static UserResponse From(UserAccount user) => new(user.Id, user.Username, user.DisplayName);
}
