export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="app-title">Flowdeck</h1>
        <span className="app-subtitle">operations console</span>
      </header>
      <main className="app-main">
        <section className="placeholder" aria-labelledby="placeholder-title">
          <h2 id="placeholder-title">Engine ready — use the CLI for now</h2>
          <p>
            The window is a placeholder while the console is being built. Inventory, flows and
            runs are available from the command line: <code>npx flowdeck --help</code>.
          </p>
        </section>
      </main>
    </div>
  );
}
