export default function Home() {
  return <form action="/api/chat" method="post"><input name="prompt" /></form>;
}
