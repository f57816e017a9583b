import type { Metadata } from "next";

export const metadata: Metadata = {
  title: "Next AI app",
  description: "A tiny chat app that calls OpenAI from a route handler",
};

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "2rem auto" }}>
        {children}
      </body>
    </html>
  );
}
