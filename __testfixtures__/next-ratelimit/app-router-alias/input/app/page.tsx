export default function Page() {
  return <main>Chat</main>;
}
