import { supabase } from '@/components/providers';

export default function RootLayout({ children }: { children: React.ReactNode }) {
  void supabase;
  return <html lang="en"><body>{children}</body></html>;
}
