import { summarize } from './actions';

export default function Page() {
  return <form action={async (data: FormData) => { 'use server'; await summarize(String(data.get('text'))); }}><textarea name="text" /></form>;
}
