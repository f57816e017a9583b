declare namespace NodeJS {
  interface ProcessEnv {
    GEMINI_API_KEY: string;
    NEXT_PUBLIC_SITE_URL: string;
  }
}
