'use client';

import { createClient } from '@supabase/supabase-js';

export const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);
export const stripeKey = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
export const firebaseConfig = { apiKey: process.env.NEXT_PUBLIC_FIREBASE_API_KEY };
export const posthogKey = process.env.NEXT_PUBLIC_POSTHOG_KEY;
export const sentryDsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
export const algoliaSearchKey = process.env.NEXT_PUBLIC_ALGOLIA_SEARCH_API_KEY;
