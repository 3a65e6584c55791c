// The IDE screen, loaded lazily on /w/<id> (app.ts): the workbench and its parts are ./workbench.
export { mountIde } from './workbench/workbench';
