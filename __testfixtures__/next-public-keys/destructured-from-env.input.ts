const { NEXT_PUBLIC_GROQ_API_KEY, NEXT_PUBLIC_SITE_URL } = process.env;

export const config = { groqKey: NEXT_PUBLIC_GROQ_API_KEY, site: NEXT_PUBLIC_SITE_URL };
