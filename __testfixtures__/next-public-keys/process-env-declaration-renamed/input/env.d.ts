declare namespace NodeJS {
  interface ProcessEnv {
    NEXT_PUBLIC_GEMINI_API_KEY: string;
    NEXT_PUBLIC_SITE_URL: string;
  }
}
