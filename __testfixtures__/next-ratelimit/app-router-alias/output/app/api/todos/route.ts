const todos: string[] = [];

export async function POST(req: Request) {
  todos.push(await req.text());
  return Response.json(todos);
}
