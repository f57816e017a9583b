type Todo = { id: number; title: string; done: boolean };

// A plain CRUD endpoint: no AI call, so the default scope leaves it alone.
const todos: Todo[] = [];

export async function GET() {
  return Response.json({ todos });
}

export async function POST(req: Request) {
  const body = (await req.json().catch(() => null)) as { title?: unknown } | null;
  if (typeof body?.title !== "string" || body.title.trim() === "") {
    return Response.json({ error: "title is required" }, { status: 400 });
  }
  const todo: Todo = { id: todos.length + 1, title: body.title.trim(), done: false };
  todos.push(todo);
  return Response.json(todo, { status: 201 });
}
