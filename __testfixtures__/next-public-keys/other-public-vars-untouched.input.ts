export async function GET() {
  return Response.json({
    site: process.env.NEXT_PUBLIC_SITE_URL,
    api: process.env.NEXT_PUBLIC_API_BASE_URL,
    model: process.env.NEXT_PUBLIC_DEFAULT_MODEL,
  });
}
