// What importing a CSS module gives: its class names, local to the file, by the name written in it.
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
