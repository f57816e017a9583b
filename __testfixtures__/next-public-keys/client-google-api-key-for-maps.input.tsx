'use client';

export function StoreMap({ query }: { query: string }) {
  const src = `https://www.google.com/maps/embed/v1/place?key=${process.env.NEXT_PUBLIC_GOOGLE_API_KEY}&q=${encodeURIComponent(query)}`;
  return <iframe src={src} title="map" />;
}
