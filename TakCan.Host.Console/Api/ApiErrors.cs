using System.Globalization;
using Microsoft.AspNetCore.Http;
using static TakCan.Host.Console.Api.ApiContract;

namespace TakCan.Host.Console.Api;

/// <summary>Every failure of the local API is a status code and <c>{"error": "…"}</c> a user can act on.</summary>
internal static class ApiErrors
{
    public static IResult Result(int statusCode, string error) =>
        Results.Json(new ErrorResponse(error), ApiJson.Options, statusCode: statusCode);

    public static IResult RateLimited(TimeSpan retryAfter, string what) => new RateLimitedResult(retryAfter, what);

    public static Task WriteAsync(HttpContext context, int statusCode, string error)
    {
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(new ErrorResponse(error), ApiJson.Options);
    }

    private sealed class RateLimitedResult(TimeSpan retryAfter, string what) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return httpContext.Response.WriteAsJsonAsync(
                new ErrorResponse($"{what} refused by the rate limit (1 per 5 s, 10 per 10 min); retry in {seconds} s", seconds),
                ApiJson.Options);
        }
    }
}
