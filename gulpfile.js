// Copies what tsc does not emit into dist: the icons and the codex (.node.json) files.
const fs = require('fs');
const path = require('path');
const { task, src, dest, series } = require('gulp');

function clean(done) {
	fs.rmSync(path.resolve('dist', 'tsconfig.tsbuildinfo'), { force: true });
	done();
}

function icons() {
	return src(['icons/**/*.{svg,png}'], { encoding: false }).pipe(dest('dist/icons'));
}

function nodeAssets() {
	return src(['nodes/**/*.{svg,png}', 'nodes/**/*.node.json'], { encoding: false }).pipe(
		dest('dist/nodes'),
	);
}

function credentialAssets() {
	return src(['credentials/**/*.{svg,png}'], { encoding: false, allowEmpty: true }).pipe(
		dest('dist/credentials'),
	);
}

task('build', series(clean, icons, nodeAssets, credentialAssets));
task('default', series('build'));
