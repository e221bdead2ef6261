// Finds the kernels a module exports, with ts-morph: exported variables initialised by a
// `kernel(...)` or `routes(...)` call, followed through re-exports. The module is then imported to get the Kernel
// objects themselves (tracing needs the real functions).
import * as path from 'node:path';
import { Node as TsNode, Project } from 'ts-morph';
import { isKernel, type Kernel } from '../../dsl/kernel.ts';
import { isRoutedKernel, type RoutedKernel } from '../../dsl/routes.ts';
import { importUserModule } from './load_module.ts';

export interface FoundKernel {
  readonly exportName: string;
  readonly kernel: Kernel | RoutedKernel;
  readonly file: string;
  readonly line: number;
}

export async function findKernels(modulePath: string): Promise<FoundKernel[]> {
  const abs = path.resolve(modulePath);
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { allowJs: true } });
  const sf = project.addSourceFileAtPath(abs);
  project.resolveSourceFileDependencies();
  const declared: { name: string; file: string; line: number }[] = [];
  for (const [name, decls] of sf.getExportedDeclarations()) {
    for (const d of decls) {
      if (!TsNode.isVariableDeclaration(d)) continue;
      const init = d.getInitializer();
      if (init && TsNode.isCallExpression(init) && /\b(kernel|routes)$/.test(init.getExpression().getText())) {
        declared.push({
          name,
          file: path.relative(process.cwd(), d.getSourceFile().getFilePath()),
          line: d.getStartLineNumber(),
        });
      }
    }
  }
  const mod = await importUserModule(abs);
  return declared
    .map(({ name, file, line }) => {
      const k = mod[name];
      if (!isKernel(k) && !isRoutedKernel(k))
        throw new Error(
          `${file}:${line}: export '${name}' looks like kernel(...) or routes(...) but is not a lensc kernel at run time`,
        );
      return { exportName: name, kernel: k, file, line };
    })
    .sort((a, b) => a.exportName.localeCompare(b.exportName));
}
